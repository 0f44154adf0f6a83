import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';
import { currencySchema, moneyAmountSchema } from './money';

/**
 * All of one member's subscriptions live in one stream (`member-subscriptions-<memberId>`), so
 * "at most one active subscription" is decided by one stream.
 */

/** What the plan said when the member chose it: later plan changes do not touch this subscription. */
export const subscriptionRequestedSchema = z.object({
  subscriptionId: z.string().uuid(),
  memberId: z.string().uuid(),
  societyId: z.string().uuid(),
  planId: z.string().uuid(),
  planName: z.string(),
  price: moneyAmountSchema,
  currency: currencySchema,
  durationInDays: z.number().int().positive(),
  /** The society's IANA zone: days are counted, and the subscription ends, at its midnight. */
  timeZone: z.string(),
  /** The active subscription this one extends (same plan), if any. */
  renewalOf: z.string().uuid().nullable(),
  /** The active subscription this one replaces when it activates (an explicit plan change). */
  replaces: z.string().uuid().nullable(),
  requestedAt: z.string().datetime(),
});

/** The subscription is reserved for one payment at a time, so two payments never both activate it. */
export const subscriptionPaymentOpenedSchema = z.object({
  subscriptionId: z.string().uuid(),
  paymentId: z.string().uuid(),
});

export const subscriptionPaymentFailedSchema = z.object({
  subscriptionId: z.string().uuid(),
  paymentId: z.string().uuid(),
  reason: z.string(),
});

/** Paid: active from `startsAt` (inclusive) to `endsAt` (exclusive, a midnight in the society's zone). */
export const subscriptionActivatedSchema = z.object({
  subscriptionId: z.string().uuid(),
  paymentId: z.string().uuid(),
  startsAt: z.string().datetime(),
  endsAt: z.string().datetime(),
});

/** A partial refund gives back the refunded share of the days, counted back from the end. */
export const subscriptionShortenedSchema = z.object({
  subscriptionId: z.string().uuid(),
  paymentId: z.string().uuid(),
  refundId: z.string().uuid(),
  previousEndsAt: z.string().datetime(),
  endsAt: z.string().datetime(),
  daysRemoved: z.number().int().positive(),
});

export const subscriptionCancelledSchema = z.object({
  subscriptionId: z.string().uuid(),
  cancelledAt: z.string().datetime(),
  reason: z.enum(['refunded', 'plan-changed']),
  refundId: z.string().uuid().nullable(),
});

/** Recorded by the expiry job once `endsAt` has passed: a fact for notifications and reports. */
export const subscriptionExpiredSchema = z.object({
  subscriptionId: z.string().uuid(),
  memberId: z.string().uuid(),
  societyId: z.string().uuid(),
  endedAt: z.string().datetime(),
});

/** The member is told a few days before the end; recorded once per subscription. */
export const subscriptionExpiryNoticeGivenSchema = z.object({
  subscriptionId: z.string().uuid(),
  memberId: z.string().uuid(),
  societyId: z.string().uuid(),
  endsAt: z.string().datetime(),
});

type Of<T extends string, S extends z.ZodType> = DomainEvent<T, z.infer<S>>;
export type SubscriptionRequested = Of<'SubscriptionRequested', typeof subscriptionRequestedSchema>;
export type SubscriptionPaymentOpened = Of<
  'SubscriptionPaymentOpened',
  typeof subscriptionPaymentOpenedSchema
>;
export type SubscriptionPaymentFailed = Of<
  'SubscriptionPaymentFailed',
  typeof subscriptionPaymentFailedSchema
>;
export type SubscriptionActivated = Of<'SubscriptionActivated', typeof subscriptionActivatedSchema>;
export type SubscriptionShortened = Of<'SubscriptionShortened', typeof subscriptionShortenedSchema>;
export type SubscriptionCancelled = Of<'SubscriptionCancelled', typeof subscriptionCancelledSchema>;
export type SubscriptionExpired = Of<'SubscriptionExpired', typeof subscriptionExpiredSchema>;
export type SubscriptionExpiryNoticeGiven = Of<
  'SubscriptionExpiryNoticeGiven',
  typeof subscriptionExpiryNoticeGivenSchema
>;

export type SubscriptionEvent =
  | SubscriptionRequested
  | SubscriptionPaymentOpened
  | SubscriptionPaymentFailed
  | SubscriptionActivated
  | SubscriptionShortened
  | SubscriptionCancelled
  | SubscriptionExpired
  | SubscriptionExpiryNoticeGiven;
