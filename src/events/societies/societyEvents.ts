import { z } from 'zod';
import type { DomainEvent } from '../../commands/shared/decider';

/** The settings a society is registered with; later changes carry only what changed. */
export const societyDetailsSchema = z.object({
  name: z.string(),
  location: z.string(),
  maxMembersPerEvent: z.number().int(),
  capacity: z.number().int(),
  timezone: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
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
