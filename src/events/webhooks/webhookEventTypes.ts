/**
 * What a society admin can subscribe a webhook to: public names for the facts, stable whatever
 * the internal event types become.
 */
export const WEBHOOK_EVENT_TYPES = {
  'booking.confirmed': 'BookingConfirmed',
  'booking.waitlisted': 'BookingWaitlisted',
  'booking.promoted': 'BookingPromoted',
  'booking.canceled': 'BookingCanceled',
  'class.scheduled': 'ClassScheduled',
  'class.rescheduled': 'ClassRescheduled',
  'class.canceled': 'ClassCanceled',
  'member.approved': 'MemberApproved',
  'member.rejected': 'MemberRejected',
  'payment.completed': 'PaymentCompleted',
  'payment.failed': 'PaymentFailed',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;
export const WEBHOOK_EVENT_TYPE_NAMES = Object.keys(WEBHOOK_EVENT_TYPES) as [
  WebhookEventType,
  ...WebhookEventType[],
];

const byDomainType = new Map<string, WebhookEventType>(
  Object.entries(WEBHOOK_EVENT_TYPES).map(([name, domain]) => [domain, name as WebhookEventType]),
);

export const webhookTypeOf = (domainEventType: string): WebhookEventType | undefined =>
  byDomainType.get(domainEventType);
