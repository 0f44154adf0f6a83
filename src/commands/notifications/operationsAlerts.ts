import type { Knex } from 'knex';
import { notificationIdFor } from '../../events/notifications/notificationIds';

/**
 * Tells every super admin (in-app and email) that something needs a person. `key` names the
 * incident: the alert's id derives from it, so raising the same incident twice queues it once.
 */
export const queueOperationsAlert = async (
  knex: Knex,
  alert: { key: string; subject: string; body: string },
  now: Date,
): Promise<number> => {
  const admins: { id: string; email: string | null; phone_number: string | null }[] = await knex(
    'notification_users',
  )
    .where({ role: 'super_admin' })
    .select('id', 'email', 'phone_number');
  if (!admins.length) return 0;
  const rows = await knex('notifications')
    .insert(
      admins.map((admin) => ({
        id: notificationIdFor(alert.key, 'operations_alert', admin.id),
        notification_type: 'operations_alert',
        recipient_kind: 'user',
        recipient_id: admin.id,
        user_id: admin.id,
        email: admin.email,
        phone_number: admin.phone_number,
        subject: alert.subject,
        body: alert.body,
        scheduled_time: now,
      })),
    )
    .onConflict('id')
    .ignore()
    .returning('id');
  return rows.length;
};

/** A delivery gave up after its last attempt. An alert that itself fails is only logged: no loop. */
export const alertSuperAdmins = async (
  knex: Knex,
  failed: { notification_id: string; channel: string; notification_type?: string },
  error: string,
  now: Date,
): Promise<void> => {
  const notification = await knex('notifications').where({ id: failed.notification_id }).first();
  if (!notification || notification.notification_type === 'operations_alert') return;
  await queueOperationsAlert(
    knex,
    {
      key: `${failed.notification_id}:${failed.channel}`,
      subject: `Notification delivery failed: ${notification.notification_type} by ${failed.channel}`,
      body:
        `Notification ${failed.notification_id} (${notification.notification_type}) to ` +
        `${notification.recipient_kind} ${notification.recipient_id} could not be sent by ${failed.channel} ` +
        `after the last attempt: ${error}`,
    },
    now,
  );
};
