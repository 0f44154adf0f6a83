import { normalisePhone } from '../../commands/identity/contactDetails';
import { MEMBER_STATUSES } from '../../events/members/memberEvents';
import { z } from '../openapi/zod';
import { minPosition } from '../http/requestSchemas';
import { moneyOut } from '../http/moneyJson';
import { plainText } from '../http/plainText';

const name = plainText(120);
const email = z.string().trim().max(254).email();
const phone = z
  .string()
  .trim()
  .min(5)
  .max(32)
  .refine((p) => normalisePhone(p) !== undefined, 'not a valid phone number')
  .openapi({ example: '+91 98765 43210' });

/**
 * An admin onboards someone (name, email and phone required); a member who signed up without a
 * society applies with {society_id} alone, their account's details filling in the rest.
 */
export const onboardMemberBody = z
  .strictObject({
    name: name.optional(),
    email: email.optional(),
    phone_number: phone.optional(),
    society_id: z.string().uuid(),
    subscription_id: z
      .string()
      .uuid()
      .optional()
      .openapi({ description: 'Recorded as given; plans arrive with billing' }),
  })
  .openapi('OnboardMember');

export const updateMemberBody = z
  .strictObject({ name, email, phone_number: phone })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change')
  .openapi('UpdateMember');

export const decideMemberBody = z
  .strictObject({
    status: z.enum(['approved', 'rejected']),
    reason: z
      .string()
      .trim()
      .max(500)
      .optional()
      .openapi({ description: 'Required when rejecting (422 rejection-reason-required)' }),
  })
  .openapi('DecideMember');

export const getMemberQuery = z.strictObject({ min_position: minPosition });

export const listMembersQuery = z.strictObject({
  status: z.enum(MEMBER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'ArcFit-Next-Cursor of the previous page (or follow its Link)' }),
  min_position: minPosition,
});

export const memberSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    email: z.string(),
    phone_number: z.string(),
    phone_verified: z.boolean(),
    status: z.enum(MEMBER_STATUSES),
    society_id: z.string().uuid(),
    society: z.object({ id: z.string().uuid(), name: z.string().nullable() }),
    subscription_id: z.string().uuid().nullable().openapi({
      description:
        'The plan the member holds (the paid one in force, else the one recorded at onboarding); null when none',
    }),
    subscription: z
      .object({ id: z.string().uuid(), name: z.string(), price: moneyOut })
      .nullable()
      .openapi({ description: 'That plan, when billing knows it' }),
    self_registered: z.boolean(),
    onboarded_by: z
      .string()
      .uuid()
      .nullable()
      .openapi({ description: 'The maker: the admin who onboarded the member (null when self-registered)' }),
    decided_by: z
      .string()
      .uuid()
      .nullable()
      .openapi({ description: 'The checker: who approved or rejected the application' }),
    decision_reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Member');

/** A bare array; the next page is linked in the Link and ArcFit-Next-Cursor headers. */
export const memberListSchema = z.array(memberSchema).openapi('MemberList');
