import { createHash } from 'node:crypto';

/** The one place stream names are built (docs/architecture.md, "Streams"). */
export const streams = {
  society: (id: string) => `society-${id}`,
  member: (id: string) => `member-${id}`,
  trainer: (id: string) => `trainer-${id}`,
  class: (id: string) => `class-${id}`,
  bookingQuota: (memberId: string, isoWeek: string) => `booking-quota-${memberId}-${isoWeek}`,
  /** Which class and member a booking id names, so a command on it needs only the id. */
  booking: (id: string) => `booking-${id}`,
  trainerDay: (trainerId: string, date: string) => `trainer-day-${trainerId}-${date}`,
  payment: (id: string) => `payment-${id}`,
  plan: (id: string) => `plan-${id}`,
  /** All of one member's subscriptions: "at most one active" is decided by one stream. */
  memberSubscriptions: (memberId: string) => `member-subscriptions-${memberId}`,
  user: (id: string) => `user-${id}`,
  notification: (id: string) => `notification-${id}`,
  uniqueEmail: (normalisedEmail: string) => `unique-email-${sha256(normalisedEmail)}`,
  uniquePhone: (e164: string) => `unique-phone-${sha256(e164)}`,
  uniqueSocietyName: (normalisedName: string) => `unique-society-name-${sha256(normalisedName)}`,
  scheduleTemplates: (societyId: string) => `schedule-templates-${societyId}`,
  scheduleWeek: (societyId: string, isoWeek: string) => `schedule-week-${societyId}-${isoWeek}`,
} as const;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
