import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Coordinates are null for a place name only: the planner then counts no travel from home. */
export const trainerLocationSchema = z.object({
  address: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
});
export type TrainerLocation = z.infer<typeof trainerLocationSchema>;

/**
 * When a trainer can teach. Times are minutes since midnight, wall-clock local to the society
 * where a class happens (a trainer who says "mornings" means that society's morning, whatever
 * its time zone). Dated `slots` add to the weekly pattern on their date; an `unavailable` date
 * overrides both.
 */
export const availabilitySchema = z.object({
  weekly: z.array(z.object({ weekday: z.enum(WEEKDAYS), start: z.number().int(), end: z.number().int() })),
  slots: z.array(z.object({ date: z.string(), start: z.number().int(), end: z.number().int() })),
  unavailable: z.array(z.string()),
});
export type Availability = z.infer<typeof availabilitySchema>;

export const trainerDetailsSchema = z.object({
  name: z.string(),
  email: z.string(),
  phoneNumber: z.string().nullable(),
  specialization: z.array(z.string()).min(1),
  location: trainerLocationSchema,
  maxClassesPerDay: z.number().int(),
});
export type TrainerDetails = z.infer<typeof trainerDetailsSchema>;

export const trainerProfileCreatedSchema = trainerDetailsSchema.extend({
  trainerId: z.string().uuid(),
  createdBy: z.string().nullable(),
  /**
   * The society whose admin added the trainer (the trainer design: society admins add trainers).
   * Its admins see the trainer's contact details before any class ties them. Absent on profiles
   * opened at signup or by a super_admin, and on those recorded before it was added.
   */
  societyId: z.string().uuid().optional(),
});
export const trainerProfileUpdatedSchema = z.object({
  trainerId: z.string().uuid(),
  changes: trainerDetailsSchema.partial(),
});
export const trainerAvailabilitySetSchema = z.object({
  trainerId: z.string().uuid(),
  availability: availabilitySchema,
});

export type TrainerProfileCreated = DomainEvent<
  'TrainerProfileCreated',
  z.infer<typeof trainerProfileCreatedSchema>
>;
export type TrainerProfileUpdated = DomainEvent<
  'TrainerProfileUpdated',
  z.infer<typeof trainerProfileUpdatedSchema>
>;
export type TrainerAvailabilitySet = DomainEvent<
  'TrainerAvailabilitySet',
  z.infer<typeof trainerAvailabilitySetSchema>
>;
export type TrainerEvent = TrainerProfileCreated | TrainerProfileUpdated | TrainerAvailabilitySet;

/** Facts of `trainer-day-<trainerId>-<date>`: the day's workload claims (DESIGN.md, invariant 3). */
export const trainerSlotClaimedSchema = z.object({
  trainerId: z.string().uuid(),
  date: z.string(),
  classId: z.string(),
  societyId: z.string(),
  /** Minutes since midnight, local to the society. */
  start: z.number().int(),
  end: z.number().int(),
  societyLocation: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  /**
   * The society's IANA zone and the instants `date` + `start`/`end` meant in it, so claims at
   * societies in different zones are compared in absolute time. Absent on claims recorded before
   * they were added (or by a caller that did not know the zone): those are compared by local minutes.
   */
  timezone: z.string().optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
});
export const trainerSlotReleasedSchema = z.object({
  trainerId: z.string().uuid(),
  date: z.string(),
  classId: z.string(),
});

export type TrainerSlotClaimed = DomainEvent<'TrainerSlotClaimed', z.infer<typeof trainerSlotClaimedSchema>>;
export type TrainerSlotReleased = DomainEvent<
  'TrainerSlotReleased',
  z.infer<typeof trainerSlotReleasedSchema>
>;
export type TrainerDayEvent = TrainerSlotClaimed | TrainerSlotReleased;
