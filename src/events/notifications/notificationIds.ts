import { v5 as uuidv5 } from 'uuid';

/** Namespace for notification ids (a fixed, random UUID: never change it). */
const NOTIFICATION_ID_NAMESPACE = '3f0c2a6e-9b1d-4c57-8e2f-5a7d1b9c4e63';

/**
 * A notification's id follows from the fact that caused it, what it says and to whom: a
 * projection replaying the fact (crash, rebuild) finds the row already there and sends nothing
 * twice.
 */
export const notificationIdFor = (sourceEventId: string, type: string, recipientId: string): string =>
  uuidv5(`${sourceEventId}:${type}:${recipientId}`, NOTIFICATION_ID_NAMESPACE);

/**
 * The SMTP Message-ID (and SMS/webhook idempotency key) of one delivery: the same on every
 * attempt, so a receiver can drop the copy a crash between "provider accepted" and "recorded"
 * makes us send (docs/architecture.md, "Notifications").
 */
export const messageIdFor = (notificationId: string, channel: string): string =>
  `<${notificationId}.${channel}@notifications.arcfit.app>`;
