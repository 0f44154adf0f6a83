import type { Knex } from 'knex';
import type { NotificationChannel, NotificationType } from '../../events/notifications/notificationEvents';
import { messageIdFor } from '../../events/notifications/notificationIds';
import type { ChannelPreferences, PlannedDelivery } from './deliveryPlan';

/** A due notification not yet split into deliveries, with its recipient's preferences. */
export interface DueNotification {
  readonly id: string;
  readonly notification_type: NotificationType;
  readonly user_id: string | null;
  readonly email: string | null;
  readonly phone_number: string | null;
  readonly preferences: ChannelPreferences | undefined;
}

/** A delivery this dispatcher holds the lease on, with what it has to send. */
export interface ClaimedDelivery {
  readonly notification_id: string;
  readonly channel: NotificationChannel;
  readonly attempts: number;
  readonly lease_until: Date;
  readonly message_id: string;
  readonly notification_type: NotificationType;
  readonly subject: string;
  readonly body: string;
  readonly email: string | null;
  readonly phone_number: string | null;
}

/**
 * Locks due notifications that have no deliveries yet (others skip them: SKIP LOCKED) and hands
 * them to `plan`; their deliveries are inserted in the same transaction, so a notification is
 * split once, whoever gets there.
 */
export const splitDueNotifications = (
  knex: Knex,
  now: Date,
  batchSize: number,
  plan: (due: DueNotification) => PlannedDelivery[],
): Promise<number> =>
  knex.transaction(async (trx) => {
    const { rows } = await trx.raw(
      `SELECT n.id, n.notification_type, n.user_id, n.email, n.phone_number,
              p.email AS pref_email, p.sms AS pref_sms, p.in_app AS pref_in_app,
              p.quiet_start, p.quiet_end, p.timezone AS pref_timezone, p.user_id IS NOT NULL AS has_prefs
         FROM notifications n
         LEFT JOIN notification_preferences p ON p.user_id = n.user_id
        WHERE n.status = 'pending' AND n.scheduled_time <= ?
          AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_id = n.id)
        ORDER BY n.scheduled_time
        LIMIT ?
        FOR UPDATE OF n SKIP LOCKED`,
      [now, batchSize],
    );
    for (const row of rows) {
      const preferences: ChannelPreferences | undefined = row.has_prefs
        ? {
            email: row.pref_email,
            sms: row.pref_sms,
            inApp: row.pref_in_app,
            quietHours:
              row.quiet_start !== null && row.quiet_end !== null
                ? { start: row.quiet_start, end: row.quiet_end, timezone: row.pref_timezone ?? 'UTC' }
                : null,
          }
        : undefined;
      const deliveries = plan({ ...row, preferences });
      if (!deliveries.length) {
        await trx('notifications')
          .where({ id: row.id })
          .update({ status: 'failed', updated_at: trx.fn.now() });
        continue;
      }
      await trx('notification_deliveries')
        .insert(
          deliveries.map((d) => ({
            notification_id: row.id,
            channel: d.channel,
            next_attempt_at: d.notBefore,
            message_id: messageIdFor(row.id, d.channel),
          })),
        )
        .onConflict(['notification_id', 'channel'])
        .ignore();
    }
    return rows.length;
  });

/**
 * Claims due deliveries with a lease: each attempt is counted when it is claimed, so a
 * dispatcher that dies mid-send leaves a delivery another one picks up once the lease runs out.
 */
export const claimDueDeliveries = async (
  knex: Knex,
  now: Date,
  leaseUntil: Date,
  batchSize: number,
  maxAttempts: number,
): Promise<ClaimedDelivery[]> => {
  const { rows } = await knex.raw(
    `WITH due AS (
       SELECT d.notification_id, d.channel FROM notification_deliveries d
         -- A notice canceled after it was split (a reminder held by quiet hours, then the
         -- booking canceled) must not go out.
         JOIN notifications n ON n.id = d.notification_id AND n.status = 'pending'
        WHERE d.status = 'pending' AND d.next_attempt_at <= :now
          AND (d.lease_until IS NULL OR d.lease_until <= :now) AND d.attempts < :maxAttempts
        ORDER BY d.next_attempt_at
        LIMIT :batchSize
        FOR UPDATE OF d SKIP LOCKED)
     UPDATE notification_deliveries d
        SET lease_until = :leaseUntil, attempts = d.attempts + 1, updated_at = now()
       FROM due, notifications n
      WHERE d.notification_id = due.notification_id AND d.channel = due.channel AND n.id = d.notification_id
     RETURNING d.notification_id, d.channel, d.attempts, d.lease_until, d.message_id,
               n.notification_type, n.subject, n.body, n.email, n.phone_number`,
    { now, leaseUntil, batchSize, maxAttempts },
  );
  return rows;
};

/**
 * Deliveries whose last attempt's dispatcher died holding the lease: no attempt is left, so they
 * fail (the caller raises the alert).
 */
export const failAbandonedDeliveries = async (
  knex: Knex,
  now: Date,
  maxAttempts: number,
): Promise<{ notification_id: string; channel: NotificationChannel }[]> => {
  const { rows } = await knex.raw(
    `UPDATE notification_deliveries
        SET status = 'failed', lease_until = NULL, updated_at = now(),
            last_error = coalesce(last_error, 'dispatcher stopped during the last attempt')
      WHERE status = 'pending' AND attempts >= ? AND lease_until <= ?
     RETURNING notification_id, channel`,
    [maxAttempts, now],
  );
  return rows;
};

/**
 * Records an outcome, only while this dispatcher still holds the lease it claimed with, and
 * rolls the notification's status up in the same statement (one round trip per delivery).
 * The roll-up reads this delivery's new status from the update's RETURNING: the rest of the
 * statement still sees the row as it was.
 */
export const recordDeliveryOutcome = async (
  knex: Knex,
  claimed: Pick<ClaimedDelivery, 'notification_id' | 'channel' | 'lease_until'>,
  outcome:
    | { status: 'sent'; at: Date }
    | { status: 'retry'; retryAt: Date; error: string }
    | { status: 'failed'; error: string },
): Promise<boolean> => {
  const status = outcome.status === 'retry' ? 'pending' : outcome.status;
  const { rows } = await knex.raw(
    `WITH d AS (
       UPDATE notification_deliveries
          SET status = :status,
              sent_at = :sentAt,
              next_attempt_at = coalesce(:retryAt, next_attempt_at),
              last_error = :error,
              lease_until = NULL,
              updated_at = now()
        WHERE notification_id = :id AND channel = :channel AND lease_until = :lease
       RETURNING notification_id, status),
     s AS (
       SELECT CASE WHEN bool_and(status = 'sent') THEN 'sent'
                   WHEN bool_or(status = 'failed') AND NOT bool_or(status = 'pending') THEN 'failed'
                   ELSE 'pending' END AS status
         FROM (SELECT status FROM notification_deliveries WHERE notification_id = :id AND channel <> :channel
               UNION ALL SELECT status FROM d) every_channel),
     n AS (
       UPDATE notifications SET status = s.status, updated_at = now()
         FROM s
        WHERE id = :id AND notifications.status = 'pending' AND s.status <> 'pending' AND EXISTS (SELECT 1 FROM d)
       RETURNING id)
     SELECT count(*)::int AS recorded FROM d`,
    {
      id: claimed.notification_id,
      channel: claimed.channel,
      lease: claimed.lease_until,
      status,
      sentAt: outcome.status === 'sent' ? outcome.at : null,
      retryAt: outcome.status === 'retry' ? outcome.retryAt : null,
      error: outcome.status === 'sent' ? null : outcome.error,
    },
  );
  return rows[0].recorded === 1;
};

/**
 * Identity's SMS port queues verification codes in `notification_outbox` (migration 0004). They
 * move into this outbox as `phone_verification` notices (same id, so a repeat moves nothing) and
 * leave the old table in the same transaction; from there they get retries and a recorded outcome.
 */
export const adoptQueuedVerificationCodes = (knex: Knex, batchSize: number): Promise<number> =>
  knex.transaction(async (trx) => {
    const { rows } = await trx.raw(
      `DELETE FROM notification_outbox
        WHERE id IN (SELECT id FROM notification_outbox WHERE status = 'pending' AND channel = 'sms'
                      ORDER BY scheduled_at LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING id, recipient, body, scheduled_at, created_at`,
      [batchSize],
    );
    if (!rows.length) return 0;
    await trx('notifications')
      .insert(
        rows.map(
          (r: { id: string; recipient: string; body: string; scheduled_at: Date; created_at: Date }) => ({
            id: r.id,
            notification_type: 'phone_verification',
            recipient_kind: 'user',
            // The recipient is a phone number, not an account: the notice stands for itself.
            recipient_id: r.id,
            phone_number: r.recipient,
            subject: 'Verification code',
            body: r.body,
            scheduled_time: r.scheduled_at,
            created_at: r.created_at,
          }),
        ),
      )
      .onConflict('id')
      .ignore();
    return rows.length;
  });
