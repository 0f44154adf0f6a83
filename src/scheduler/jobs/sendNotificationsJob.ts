import type { NotificationDispatcher } from '../../commands/notifications/dispatcher';
import type { WebhookDispatcher } from '../../commands/webhooks/webhookDispatcher';
import type { Job } from '../job';

/**
 * The spec's `send_notifications`: every minute, send what is due — confirmations and notices
 * queued by the notifications projection, reminders (queued at booking time for 24 h before the
 * class), retries whose backoff is over — and the societies' outgoing webhooks.
 */
export const sendNotificationsJob = (
  dispatcher: Pick<NotificationDispatcher, 'dispatchDue'>,
  webhooks?: Pick<WebhookDispatcher, 'deliverDue'>,
): Job => ({
  name: 'send_notifications',
  schedule: '* * * * *',
  // A failed pass is simply the next minute's pass: the outbox keeps what is left.
  retry: { attempts: 1 },
  run: async () => {
    const s = await dispatcher.dispatchDue();
    const w = webhooks ? await webhooks.deliverDue() : undefined;
    return (
      `notifications: split ${s.split}, sent ${s.sent}, retrying ${s.retrying}, failed ${s.failed}` +
      (w ? `; webhooks: delivered ${w.delivered}, retrying ${w.retrying}, failed ${w.failed}` : '')
    );
  },
});
