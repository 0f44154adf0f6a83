import type { ZodType } from 'zod';
import type { InvoiceNumberAssigned, PaymentEvent } from '../../../src/events/billing/paymentEvents';
import {
  invoiceIssuedSchema,
  invoiceNumberAssignedSchema,
  paymentCompletedSchema,
  paymentFailedSchema,
  paymentInitiatedSchema,
  paymentRefundedSchema,
  refundFailedSchema,
  refundRequestedSchema,
  paymentStatusCheckedSchema,
} from '../../../src/events/billing/paymentEvents';
import type { PlanEvent } from '../../../src/events/billing/planEvents';
import {
  planChangedSchema,
  planCreatedSchema,
  planRetiredSchema,
} from '../../../src/events/billing/planEvents';
import type { SubscriptionEvent } from '../../../src/events/billing/subscriptionEvents';
import {
  subscriptionActivatedSchema,
  subscriptionCancelledSchema,
  subscriptionExpiredSchema,
  subscriptionExpiryNoticeGivenSchema,
  subscriptionPaymentFailedSchema,
  subscriptionPaymentOpenedSchema,
  subscriptionRequestedSchema,
  subscriptionShortenedSchema,
} from '../../../src/events/billing/subscriptionEvents';
import type { BookingQuotaEvent, ClassBookingEvent } from '../../../src/events/booking/bookingEvents';
import {
  attendanceMarkedSchema,
  bookingCanceledSchema,
  bookingConfirmedSchema,
  bookingPromotedSchema,
  bookingSlotClaimedSchema,
  bookingSlotMovedSchema,
  bookingSlotReleasedSchema,
  bookingWaitlistedSchema,
} from '../../../src/events/booking/bookingEvents';
import type { ClassEvent } from '../../../src/events/classes/classEvents';
import {
  activityAddedSchema,
  activityChangedSchema,
  classCanceledSchema,
  classDetailsChangedSchema,
  classRescheduledSchema,
  classScheduledSchema,
  trainerAssignedToClassSchema,
} from '../../../src/events/classes/classEvents';
import type { UserEvent } from '../../../src/events/identity/userEvents';
import {
  phoneVerifiedSchema,
  userRegisteredSchema,
  userStatusChangedSchema,
} from '../../../src/events/identity/userEvents';
import type { MemberEvent } from '../../../src/events/members/memberEvents';
import {
  memberDecidedSchema,
  memberOnboardedSchema,
  memberProfileChangedSchema,
} from '../../../src/events/members/memberEvents';
import type { NotificationEvent } from '../../../src/events/notifications/notificationEvents';
import { notificationScheduledSchema } from '../../../src/events/notifications/notificationEvents';
import type { ScheduleTemplateEvent } from '../../../src/events/schedules/scheduleTemplateEvents';
import {
  scheduleTemplateAddedSchema,
  scheduleTemplateChangedSchema,
  scheduleTemplateRemovedSchema,
} from '../../../src/events/schedules/scheduleTemplateEvents';
import type { WeekScheduleEvent } from '../../../src/events/schedules/weekScheduleEvents';
import { weekScheduleGeneratedSchema } from '../../../src/events/schedules/weekScheduleEvents';
import type { SocietyEvent } from '../../../src/events/societies/societyEvents';
import {
  societyAdminGrantedSchema,
  societyDetailsChangedSchema,
  societyRegisteredSchema,
} from '../../../src/events/societies/societyEvents';
import type { TrainerDayEvent, TrainerEvent } from '../../../src/events/trainers/trainerEvents';
import {
  trainerAvailabilitySetSchema,
  trainerProfileCreatedSchema,
  trainerProfileUpdatedSchema,
  trainerSlotClaimedSchema,
  trainerSlotReleasedSchema,
} from '../../../src/events/trainers/trainerEvents';
import type { UniqueClaimEvent } from '../../../src/events/uniqueness/uniqueClaimEvents';
import {
  uniqueValueClaimedSchema,
  uniqueValueReleasedSchema,
} from '../../../src/events/uniqueness/uniqueClaimEvents';
import type { Histories } from './plan';

/** Every event type the history records. */
export type SeedEvent =
  | SocietyEvent
  | UserEvent
  | MemberEvent
  | TrainerEvent
  | TrainerDayEvent
  | PlanEvent
  | SubscriptionEvent
  | PaymentEvent
  | InvoiceNumberAssigned
  | ClassEvent
  | ClassBookingEvent
  | BookingQuotaEvent
  | ScheduleTemplateEvent
  | WeekScheduleEvent
  | NotificationEvent
  | UniqueClaimEvent;

/** The schema each projection parses an event type with: every seeded payload must pass it. */
const SCHEMAS: Record<SeedEvent['type'], ZodType> = {
  SocietyRegistered: societyRegisteredSchema,
  SocietyDetailsChanged: societyDetailsChangedSchema,
  SocietyAdminGranted: societyAdminGrantedSchema,
  UserRegistered: userRegisteredSchema,
  PhoneVerified: phoneVerifiedSchema,
  UserDeactivated: userStatusChangedSchema,
  UserReactivated: userStatusChangedSchema,
  MemberOnboarded: memberOnboardedSchema,
  MemberProfileChanged: memberProfileChangedSchema,
  MemberApproved: memberDecidedSchema,
  MemberRejected: memberDecidedSchema,
  TrainerProfileCreated: trainerProfileCreatedSchema,
  TrainerProfileUpdated: trainerProfileUpdatedSchema,
  TrainerAvailabilitySet: trainerAvailabilitySetSchema,
  TrainerSlotClaimed: trainerSlotClaimedSchema,
  TrainerSlotReleased: trainerSlotReleasedSchema,
  PlanCreated: planCreatedSchema,
  PlanChanged: planChangedSchema,
  PlanRetired: planRetiredSchema,
  SubscriptionRequested: subscriptionRequestedSchema,
  SubscriptionPaymentOpened: subscriptionPaymentOpenedSchema,
  SubscriptionPaymentFailed: subscriptionPaymentFailedSchema,
  SubscriptionActivated: subscriptionActivatedSchema,
  SubscriptionShortened: subscriptionShortenedSchema,
  SubscriptionCancelled: subscriptionCancelledSchema,
  SubscriptionExpired: subscriptionExpiredSchema,
  SubscriptionExpiryNoticeGiven: subscriptionExpiryNoticeGivenSchema,
  PaymentInitiated: paymentInitiatedSchema,
  PaymentCompleted: paymentCompletedSchema,
  PaymentFailed: paymentFailedSchema,
  PaymentRefunded: paymentRefundedSchema,
  RefundRequested: refundRequestedSchema,
  RefundFailed: refundFailedSchema,
  PaymentStatusChecked: paymentStatusCheckedSchema,
  InvoiceIssued: invoiceIssuedSchema,
  InvoiceNumberAssigned: invoiceNumberAssignedSchema,
  ClassScheduled: classScheduledSchema,
  ClassDetailsChanged: classDetailsChangedSchema,
  ClassRescheduled: classRescheduledSchema,
  TrainerAssignedToClass: trainerAssignedToClassSchema,
  ClassCanceled: classCanceledSchema,
  ClassActivityAdded: activityAddedSchema,
  ClassActivityChanged: activityChangedSchema,
  BookingConfirmed: bookingConfirmedSchema,
  BookingWaitlisted: bookingWaitlistedSchema,
  BookingPromoted: bookingPromotedSchema,
  BookingCanceled: bookingCanceledSchema,
  AttendanceMarked: attendanceMarkedSchema,
  BookingSlotClaimed: bookingSlotClaimedSchema,
  BookingSlotReleased: bookingSlotReleasedSchema,
  BookingSlotMoved: bookingSlotMovedSchema,
  ScheduleTemplateAdded: scheduleTemplateAddedSchema,
  ScheduleTemplateChanged: scheduleTemplateChangedSchema,
  ScheduleTemplateRemoved: scheduleTemplateRemovedSchema,
  WeekScheduleGenerated: weekScheduleGeneratedSchema,
  NotificationScheduled: notificationScheduledSchema,
  UniqueValueClaimed: uniqueValueClaimedSchema,
  UniqueValueReleased: uniqueValueReleasedSchema,
};

/** Throws on the first payload its projection's schema would refuse: a seed bug, not a bench result. */
export const checkPayloads = (histories: Histories): void => {
  for (const phases of histories.societies)
    for (const phase of phases)
      for (const append of phase)
        for (const event of append.events) {
          const schema = SCHEMAS[event.type as SeedEvent['type']];
          const parsed = schema?.safeParse(event.data);
          if (!parsed?.success)
            throw new Error(`seed: ${event.type} in ${append.streamId} fails its schema: ${parsed?.error}`);
        }
};
