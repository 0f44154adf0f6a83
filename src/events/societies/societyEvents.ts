import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';

/** The spec's defaults: 5 bookings per member per week, cancel until 1 hour before the start. */
export const DEFAULT_WEEKLY_BOOKING_LIMIT = 5;
export const DEFAULT_CANCELLATION_CUTOFF_MINUTES = 60;

/**
 * The settings a society is registered with; later changes carry only what changed. The booking
 * settings are optional: societies registered before they existed recorded none, and absent means
 * the default above.
 */
export const societyDetailsSchema = z.object({
  name: z.string(),
  location: z.string(),
  maxMembersPerEvent: z.number().int(),
  capacity: z.number().int(),
  timezone: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  /** Bookings a member may hold per week (the week counted in the society's time zone). */
  weeklyBookingLimit: z.number().int().optional(),
  /** A member may cancel a confirmed seat until this many minutes before the class starts. */
  cancellationCutoffMinutes: z.number().int().optional(),
});
export type SocietyDetails = z.infer<typeof societyDetailsSchema>;

export const societyRegisteredSchema = societyDetailsSchema.extend({
  societyId: z.string().uuid(),
  registeredBy: z.string().nullable(),
});
export const societyDetailsChangedSchema = z.object({
  societyId: z.string().uuid(),
  changes: societyDetailsSchema.partial(),
});

/** A society admin administers only the societies they created or were granted. */
export const societyAdminGrantedSchema = z.object({
  societyId: z.string().uuid(),
  userId: z.string().uuid(),
  grantedBy: z.string().uuid().nullable(),
});

export type SocietyRegistered = DomainEvent<'SocietyRegistered', z.infer<typeof societyRegisteredSchema>>;
export type SocietyDetailsChanged = DomainEvent<
  'SocietyDetailsChanged',
  z.infer<typeof societyDetailsChangedSchema>
>;
export type SocietyAdminGranted = DomainEvent<
  'SocietyAdminGranted',
  z.infer<typeof societyAdminGrantedSchema>
>;
export type SocietyEvent = SocietyRegistered | SocietyDetailsChanged | SocietyAdminGranted;
