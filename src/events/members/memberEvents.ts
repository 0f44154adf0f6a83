import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';

export const MEMBER_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** The contact details a member is known by; email normalised, phone in E.164. */
export const memberProfileSchema = z.object({
  name: z.string(),
  email: z.string(),
  phoneNumber: z.string(),
});
export type MemberProfile = z.infer<typeof memberProfileSchema>;

/**
 * A member application, either filed by a society admin (`onboardedBy`, the maker) or by the
 * person themself at signup (`selfRegistered`, `userId` = `memberId`, no maker).
 */
export const memberOnboardedSchema = memberProfileSchema.extend({
  memberId: z.string().uuid(),
  userId: z.string().uuid().nullable(),
  societyId: z.string().uuid(),
  subscriptionId: z.string().uuid().nullable(),
  onboardedBy: z.string().uuid().nullable(),
  selfRegistered: z.boolean(),
});

/** Only what changed. A new phone number is unverified until proven again. */
export const memberProfileChangedSchema = z.object({
  memberId: z.string().uuid(),
  changes: memberProfileSchema.partial(),
  phoneVerified: z.boolean().optional(),
});

/** Maker-checker: who filed the application (null when self-registered) and who decided it. */
export const memberDecidedSchema = z.object({
  memberId: z.string().uuid(),
  societyId: z.string().uuid(),
  maker: z.string().uuid().nullable(),
  checker: z.string().uuid(),
  checkerRole: z.string(),
  reason: z.string().nullable(),
});

export type MemberOnboarded = DomainEvent<'MemberOnboarded', z.infer<typeof memberOnboardedSchema>>;
export type MemberProfileChanged = DomainEvent<
  'MemberProfileChanged',
  z.infer<typeof memberProfileChangedSchema>
>;
export type MemberApproved = DomainEvent<'MemberApproved', z.infer<typeof memberDecidedSchema>>;
export type MemberRejected = DomainEvent<'MemberRejected', z.infer<typeof memberDecidedSchema>>;
export type MemberEvent = MemberOnboarded | MemberProfileChanged | MemberApproved | MemberRejected;
