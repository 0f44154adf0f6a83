import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';

/**
 * Facts of `class-<id>` (the spec's Event; "class" in code so it does not clash with event
 * sourcing's events). Times are kept twice on purpose: `date`/`start`/`end` are the society's
 * wall clock (minutes since midnight), the source of truth for the trainer-day claim;
 * `startsAt`/`endsAt` are the instants they meant in the society's time zone when recorded.
 */
const slot = {
  date: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
};

export const activitySchema = z.object({
  activityId: z.string().uuid(),
  name: z.string(),
  duration: z.number().int(),
  description: z.string().nullable(),
  tracks: z.array(z.string()),
  mediaUrl: z.string().nullable(),
});
export type Activity = z.infer<typeof activitySchema>;

export const classScheduledSchema = z.object({
  classId: z.string().uuid(),
  societyId: z.string().uuid(),
  name: z.string(),
  classType: z.string(),
  maxMembers: z.number().int(),
  trainerId: z.string().uuid().nullable(),
  scheduledBy: z.string().nullable(),
  /**
   * Where the class takes place, in the society's words (a hall, a room: the updated event
   * design's `location`). Absent on classes scheduled before it was added, and when not given.
   */
  location: z.string().optional(),
  ...slot,
});
export const classDetailsChangedSchema = z.object({
  classId: z.string().uuid(),
  changes: z.object({ name: z.string(), classType: z.string(), maxMembers: z.number().int() }).partial(),
});
/** An `event_update`: the class moved in time. */
export const classRescheduledSchema = z.object({
  classId: z.string().uuid(),
  ...slot,
  previous: z.object({ date: z.string(), start: z.number().int(), end: z.number().int() }),
});
export const trainerAssignedToClassSchema = z.object({
  classId: z.string().uuid(),
  trainerId: z.string().uuid(),
  /** Whose trainer-day slot the assigner releases once this is recorded. */
  previousTrainerId: z.string().uuid().nullable(),
  date: z.string(),
});
/** Booking cancellation will subscribe to this fact (bookings arrive with a later issue). */
export const classCanceledSchema = z.object({
  classId: z.string().uuid(),
  reason: z.string(),
  canceledBy: z.string().nullable(),
  /** The trainer whose slot is released, and on which day. */
  trainerId: z.string().uuid().nullable(),
  date: z.string(),
});
/** `ordering` is every activity id in order after the change: orders stay 1..n. */
export const activityAddedSchema = z.object({
  classId: z.string().uuid(),
  activity: activitySchema,
  ordering: z.array(z.string().uuid()),
});
export const activityChangedSchema = z.object({
  classId: z.string().uuid(),
  activity: activitySchema,
  ordering: z.array(z.string().uuid()),
});

type Ev<T extends string, S extends z.ZodType> = DomainEvent<T, z.infer<S>>;
export type ClassScheduled = Ev<'ClassScheduled', typeof classScheduledSchema>;
export type ClassDetailsChanged = Ev<'ClassDetailsChanged', typeof classDetailsChangedSchema>;
export type ClassRescheduled = Ev<'ClassRescheduled', typeof classRescheduledSchema>;
export type TrainerAssignedToClass = Ev<'TrainerAssignedToClass', typeof trainerAssignedToClassSchema>;
export type ClassCanceled = Ev<'ClassCanceled', typeof classCanceledSchema>;
export type ClassActivityAdded = Ev<'ClassActivityAdded', typeof activityAddedSchema>;
export type ClassActivityChanged = Ev<'ClassActivityChanged', typeof activityChangedSchema>;
export type ClassEvent =
  | ClassScheduled
  | ClassDetailsChanged
  | ClassRescheduled
  | TrainerAssignedToClass
  | ClassCanceled
  | ClassActivityAdded
  | ClassActivityChanged;
