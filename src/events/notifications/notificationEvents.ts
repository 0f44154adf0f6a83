import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';

/**
 * What a notification is about. The spec's six (`reminder`, `new_event`, `booking_confirmation`,
 * `cancellation`, `trainer_assignment`, `event_update`) plus the facts of membership, billing and
 * operations that members and admins are told about.
 */
export const NOTIFICATION_TYPES = [
  'reminder',
  'new_event',
  'booking_confirmation',
  'cancellation',
  'waitlist_promotion',
  'trainer_assignment',
  'event_update',
  'member_approved',
  'member_rejected',
  'payment_completed',
  'payment_failed',
  'subscription_expiring',
  'subscription_expired',
  'operations_alert',
  'phone_verification',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What POST /notifications/schedule may ask for: notices about a class a member can be sent. */
export const SCHEDULABLE_TYPES = ['reminder', 'new_event', 'event_update'] as const;

export const NOTIFICATION_CHANNELS = ['email', 'sms', 'in_app'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** An admin scheduled a notice by hand (`notification-<id>`); the outbox projection queues it. */
export const notificationScheduledSchema = z.object({
  notificationId: z.string().uuid(),
  memberId: z.string().uuid(),
  classId: z.string().uuid(),
  notificationType: z.enum(SCHEDULABLE_TYPES),
  scheduledTime: z.string().datetime(),
  scheduledBy: z.string().uuid(),
});

export type NotificationScheduled = DomainEvent<
  'NotificationScheduled',
  z.infer<typeof notificationScheduledSchema>
>;
export type NotificationEvent = NotificationScheduled;
