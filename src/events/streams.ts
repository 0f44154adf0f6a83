import { createHash } from 'node:crypto';

/** The one place stream names are built (DESIGN.md, "Streams"). */
export const streams = {
  society: (id: string) => `society-${id}`,
  member: (id: string) => `member-${id}`,
  trainer: (id: string) => `trainer-${id}`,
  class: (id: string) => `class-${id}`,
  bookingQuota: (memberId: string, isoWeek: string) => `booking-quota-${memberId}-${isoWeek}`,
  trainerDay: (trainerId: string, date: string) => `trainer-day-${trainerId}-${date}`,
  payment: (id: string) => `payment-${id}`,
  plan: (id: string) => `plan-${id}`,
  user: (id: string) => `user-${id}`,
  uniqueEmail: (normalisedEmail: string) => `unique-email-${sha256(normalisedEmail)}`,
  uniquePhone: (e164: string) => `unique-phone-${sha256(e164)}`,
  uniqueSocietyName: (normalisedName: string) => `unique-society-name-${sha256(normalisedName)}`,
} as const;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
