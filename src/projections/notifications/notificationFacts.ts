import type { z } from 'zod';
import type { RecordedEvent } from '../../events/store/eventStore';
import {
  memberDecidedSchema,
  memberOnboardedSchema,
  memberProfileChangedSchema,
} from '../../events/members/memberEvents';
import {
  classCanceledSchema,
  classDetailsChangedSchema,
  classRescheduledSchema,
  classScheduledSchema,
  trainerAssignedToClassSchema,
} from '../../events/classes/classEvents';
import {
  trainerProfileCreatedSchema,
  trainerProfileUpdatedSchema,
} from '../../events/trainers/trainerEvents';
import { userRegisteredSchema } from '../../events/identity/userEvents';
import {
  paymentCompletedSchema,
  paymentFailedSchema,
  paymentInitiatedSchema,
} from '../../events/billing/paymentEvents';
import {
  subscriptionExpiredSchema,
  subscriptionExpiryNoticeGivenSchema,
} from '../../events/billing/subscriptionEvents';
import { notificationScheduledSchema } from '../../events/notifications/notificationEvents';
import { societyDetailsChangedSchema, societyRegisteredSchema } from '../../events/societies/societyEvents';
import {
  bookingCanceledSchema,
  bookingConfirmedSchema,
  bookingPromotedSchema,
  bookingWaitlistedSchema,
} from '../../events/booking/bookingEvents';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Facts older than this queue nothing. A projection version that learns a new notification type
 * replays the whole log; without this horizon it would tell members about last year's classes.
 * Generous enough to cover the projection being down for a long weekend.
 */
export const FRESHNESS_HORIZON_MS = 4 * DAY_MS;

/** Every fact the notifications projection reacts to, and the schema its data is read with. */
const schemas = {
  SocietyRegistered: societyRegisteredSchema,
  SocietyDetailsChanged: societyDetailsChangedSchema,
  UserRegistered: userRegisteredSchema,
  MemberOnboarded: memberOnboardedSchema,
  MemberProfileChanged: memberProfileChangedSchema,
  MemberApproved: memberDecidedSchema,
  MemberRejected: memberDecidedSchema,
  TrainerProfileCreated: trainerProfileCreatedSchema,
  TrainerProfileUpdated: trainerProfileUpdatedSchema,
  ClassScheduled: classScheduledSchema,
  ClassDetailsChanged: classDetailsChangedSchema,
  ClassRescheduled: classRescheduledSchema,
  TrainerAssignedToClass: trainerAssignedToClassSchema,
  ClassCanceled: classCanceledSchema,
  PaymentInitiated: paymentInitiatedSchema,
  PaymentCompleted: paymentCompletedSchema,
  PaymentFailed: paymentFailedSchema,
  SubscriptionExpired: subscriptionExpiredSchema,
  SubscriptionExpiryNoticeGiven: subscriptionExpiryNoticeGivenSchema,
  NotificationScheduled: notificationScheduledSchema,
  BookingConfirmed: bookingConfirmedSchema,
  BookingWaitlisted: bookingWaitlistedSchema,
  BookingPromoted: bookingPromotedSchema,
  BookingCanceled: bookingCanceledSchema,
} as const;

type Schemas = typeof schemas;
export type FactType = keyof Schemas;

export const NOTIFICATION_FACT_TYPES = Object.keys(schemas) as FactType[];

/**
 * One recorded event as the projection reads it: its data parsed once, and whether it is recent
 * enough to tell anyone about (`fresh`). Stale facts still change the working tables and the
 * reminders already queued; they only queue nothing new.
 */
export type NotificationFact = {
  [T in FactType]: {
    readonly type: T;
    readonly data: z.infer<Schemas[T]>;
    readonly event: RecordedEvent;
    readonly fresh: boolean;
  };
}[FactType];

export type FactOf<T extends FactType> = Extract<NotificationFact, { type: T }>;

/** `now` is read once per batch, so every fact of a batch is judged against the same clock. */
export const notificationFact = (event: RecordedEvent, now: number): NotificationFact => {
  const schema = schemas[event.type as FactType];
  if (!schema) throw new Error(`notifications: no schema for ${event.type}`);
  return {
    type: event.type,
    data: schema.parse(event.data),
    event,
    fresh: now - event.createdAt.getTime() < FRESHNESS_HORIZON_MS,
  } as NotificationFact;
};
