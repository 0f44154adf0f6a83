import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { EmailChannel, SmsChannel } from './channels/channels';
import {
  adoptQueuedVerificationCodes,
  claimDueDeliveries,
  failAbandonedDeliveries,
  recordDeliveryOutcome,
  splitDueNotifications,
  type ClaimedDelivery,
} from './deliveriesTable';
import { afterFailure, DEFAULT_PREFERENCES, MAX_ATTEMPTS, planDeliveries } from './deliveryPlan';
import { alertSuperAdmins } from './operationsAlerts';

export interface DispatcherOptions {
  /** How long a claimed delivery stays ours; past it, another dispatcher may try it again. */
  readonly leaseMs?: number;
  /** First retry after this, then doubling (attempt 2 after 1×, attempt 3 after 2×). */
  readonly retryBaseMs?: number;
  readonly batchSize?: number;
  /** Deliveries of one claimed batch in flight at once (SMTP and SMS round trips overlap). */
  readonly concurrency?: number;
  readonly clock?: () => Date;
  /** Fault injection for the crash tests: throwing here leaves the lease held, as a crash would. */
  readonly hooks?: {
    readonly beforeSend?: (delivery: ClaimedDelivery) => void | Promise<void>;
    readonly afterSend?: (delivery: ClaimedDelivery) => void | Promise<void>;
  };
}

export interface DispatchSummary {
  readonly split: number;
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
}

/**
 * The outbox dispatcher: splits due notifications into per-channel deliveries, claims them with
 * a lease (FOR UPDATE SKIP LOCKED, so several dispatchers share the work), sends each through its
 * channel and records the outcome. A crash before the send loses nothing: the lease runs out and
 * the delivery is claimed again. A crash after the provider accepted but before the outcome is
 * recorded sends the message again — the one window where a repeat can happen — with the same
 * Message-ID, so the receiving side can drop the copy.
 */
export class NotificationDispatcher {
  private readonly leaseMs: number;
  private readonly retryBaseMs: number;
  private readonly batchSize: number;
  private readonly clock: () => Date;

  constructor(
    private readonly knex: Knex,
    private readonly channels: { email: EmailChannel; sms: SmsChannel },
    private readonly logger: Logger,
    private readonly options: DispatcherOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.retryBaseMs = options.retryBaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 100;
    this.clock = options.clock ?? (() => new Date());
  }

  /** One pass: everything due now, until nothing due is left unclaimed. */
  async dispatchDue(): Promise<DispatchSummary> {
    const now = this.clock();
    while ((await adoptQueuedVerificationCodes(this.knex, this.batchSize)) === this.batchSize);
    let split = 0;
    for (;;) {
      const n = await splitDueNotifications(this.knex, now, this.batchSize, (due) =>
        planDeliveries(
          {
            type: due.notification_type,
            userId: due.user_id,
            email: due.email,
            phoneNumber: due.phone_number,
          },
          due.preferences ?? DEFAULT_PREFERENCES,
          now,
        ),
      );
      split += n;
      if (n < this.batchSize) break;
    }
    const summary = { split, sent: 0, retrying: 0, failed: 0 };
    for (const abandoned of await failAbandonedDeliveries(this.knex, now, MAX_ATTEMPTS)) {
      summary.failed += 1;
      await this.alert(abandoned, 'dispatcher stopped during the last attempt', now);
    }
    for (;;) {
      const claimed = await claimDueDeliveries(
        this.knex,
        now,
        new Date(now.getTime() + this.leaseMs),
        this.batchSize,
        MAX_ATTEMPTS,
      );
      const queue = [...claimed];
      const worker = async () => {
        for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
          summary[await this.deliver(delivery)] += 1;
        }
      };
      await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));
      if (claimed.length < this.batchSize) break;
    }
    return summary;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<'sent' | 'retrying' | 'failed'> {
    await this.options.hooks?.beforeSend?.(delivery);
    try {
      await this.send(delivery);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const now = this.clock();
      const next = afterFailure(delivery.attempts, now, this.retryBaseMs);
      this.logger.warn(
        {
          notification: delivery.notification_id,
          channel: delivery.channel,
          attempt: delivery.attempts,
          err: message,
        },
        'notification delivery failed',
      );
      if (next.giveUp) {
        await recordDeliveryOutcome(this.knex, delivery, { status: 'failed', error: message });
        await this.alert(delivery, message, now);
        return 'failed';
      }
      await recordDeliveryOutcome(this.knex, delivery, {
        status: 'retry',
        retryAt: next.retryAt,
        error: message,
      });
      return 'retrying';
    }
    await this.options.hooks?.afterSend?.(delivery);
    await recordDeliveryOutcome(this.knex, delivery, { status: 'sent', at: this.clock() });
    return 'sent';
  }

  /** An alert that cannot be queued is logged: the failed delivery is recorded either way. */
  private async alert(failed: { notification_id: string; channel: string }, error: string, now: Date) {
    try {
      await alertSuperAdmins(this.knex, failed, error, now);
    } catch (alertError) {
      this.logger.error({ err: alertError, failed, error }, 'could not queue the operations alert');
    }
  }

  private async send(delivery: ClaimedDelivery): Promise<void> {
    switch (delivery.channel) {
      case 'in_app':
        // The notification row is the in-app inbox: recording it as sent is the delivery.
        return;
      case 'email':
        if (!delivery.email) throw new Error('no email address');
        return this.channels.email.send({
          to: delivery.email,
          subject: delivery.subject,
          text: delivery.body,
          messageId: delivery.message_id,
        });
      case 'sms':
        if (!delivery.phone_number) throw new Error('no phone number');
        return this.channels.sms.send({
          to: delivery.phone_number,
          body: delivery.body,
          messageId: delivery.message_id,
        });
    }
  }
}
