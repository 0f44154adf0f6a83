import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';

/** `auditor`: reads the history and the audit trail, changes nothing (created by a super_admin). */
export const ROLES = ['member', 'trainer', 'society_admin', 'super_admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a trainer said at signup. Coordinates are null when they gave a place name only (the
 * spec's `"location": "Society A"`); specialization is empty when they gave none.
 */
export const trainerProfileSchema = z.object({
  specialization: z.array(z.string()),
  location: z.object({
    address: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
  }),
});

/**
 * The password hash (argon2id) is part of the fact: without it a rebuilt read side could not let
 * anyone log in. It is never returned by the API, logged, or exported to analysts.
 */
export const userRegisteredSchema = z.object({
  userId: z.string().uuid(),
  name: z.string(),
  email: z.string(),
  phoneNumber: z.string().nullable(),
  role: z.enum(ROLES),
  passwordHash: z.string(),
  /** A member's chosen society (the member application itself is the membership capability's). */
  societyId: z.string().uuid().nullable(),
  trainer: trainerProfileSchema.nullable(),
});
export const phoneVerifiedSchema = z.object({ userId: z.string().uuid(), phoneNumber: z.string() });
export const userStatusChangedSchema = z.object({ userId: z.string().uuid(), reason: z.string().nullable() });

export type UserRegistered = DomainEvent<'UserRegistered', z.infer<typeof userRegisteredSchema>>;
export type PhoneVerified = DomainEvent<'PhoneVerified', z.infer<typeof phoneVerifiedSchema>>;
export type UserDeactivated = DomainEvent<'UserDeactivated', z.infer<typeof userStatusChangedSchema>>;
export type UserReactivated = DomainEvent<'UserReactivated', z.infer<typeof userStatusChangedSchema>>;
export type UserEvent = UserRegistered | PhoneVerified | UserDeactivated | UserReactivated;
