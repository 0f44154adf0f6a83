import type { Knex } from 'knex';
import type { NotificationType } from '../../events/notifications/notificationEvents';
import { notificationIdFor } from '../../events/notifications/notificationIds';

/** Who a notification goes to, with the contact details known when the fact happened. */
export interface Recipient {
  readonly kind: 'member' | 'trainer' | 'user';
  readonly id: string;
  /** The account whose channel preferences and in-app inbox apply (null: none yet). */
  readonly userId: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
}

export interface NotificationDraft {
  readonly type: NotificationType;
  readonly recipient: Recipient;
  readonly classId?: string | null;
  readonly societyId?: string | null;
  readonly subject: string;
  readonly body: string;
  readonly scheduledTime: Date;
  readonly sourceEventId: string;
  /** Set when the id must not follow from (source, type, recipient), e.g. a hand-scheduled one. */
  readonly id?: string;
}

/**
 * Queues notifications in the `notifications` outbox. Ids are derived from the fact, so a
 * replayed fact inserts nothing new and a message is never queued twice.
 */
export const queueNotifications = async (trx: Knex.Transaction, drafts: readonly NotificationDraft[]) => {
  if (!drafts.length) return;
  await trx('notifications')
    .insert(
      drafts.map((d) => ({
        id: d.id ?? notificationIdFor(d.sourceEventId, d.type, d.recipient.id),
        notification_type: d.type,
        recipient_kind: d.recipient.kind,
        recipient_id: d.recipient.id,
        member_id: d.recipient.kind === 'member' ? d.recipient.id : null,
        user_id: d.recipient.userId,
        event_id: d.classId ?? null,
        society_id: d.societyId ?? null,
        email: d.recipient.email,
        phone_number: d.recipient.phoneNumber,
        subject: d.subject,
        body: d.body,
        scheduled_time: d.scheduledTime,
        source_event_id: d.sourceEventId,
      })),
    )
    .onConflict('id')
    .ignore();
};

/** A member's pending reminders for a class no longer apply (booking or class canceled). */
export const cancelPendingReminders = (trx: Knex.Transaction, classId: string, memberId?: string) =>
  trx('notifications')
    .where({ event_id: classId, notification_type: 'reminder', status: 'pending' })
    .modify((q) => (memberId ? q.andWhere({ member_id: memberId }) : q))
    .update({ status: 'canceled', updated_at: trx.fn.now() });

/** The class moved: its pending reminders move with it (24 h before the new start). */
export const moveReminders = (
  trx: Knex.Transaction,
  classId: string,
  scheduledTime: Date,
  message: { subject: string; body: string },
) =>
  trx('notifications')
    .where({ event_id: classId, notification_type: 'reminder', status: 'pending' })
    .update({ scheduled_time: scheduledTime, ...message, updated_at: trx.fn.now() });
