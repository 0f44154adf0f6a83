import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  claimDueWebhookDeliveries,
  recordWebhookOutcome,
  type ClaimedWebhookDelivery,
} from './webhookDeliveriesTable';
import { postWebhook } from './postWebhook';
import { signWebhook } from './webhookSignature';
import { refuseWebhookTarget, type WebhookTargetPolicy } from './webhookTargetPolicy';

export const WEBHOOK_MAX_ATTEMPTS = 5;

export interface WebhookDispatcherOptions {
  readonly policy?: WebhookTargetPolicy;
  readonly retryBaseMs?: number;
  readonly leaseMs?: number;
  readonly batchSize?: number;
  readonly clock?: () => Date;
}

/**
 * Sends due webhook deliveries: signed (HMAC-SHA256), retried with exponential backoff on a
 * non-2xx answer or no answer, up to WEBHOOK_MAX_ATTEMPTS, then `failed`. Like the notification
 * outbox, a crash between the receiver's 2xx and our record repeats a delivery with the same
 * `ArcFit-Delivery-Id`, which receivers use to drop the copy.
 */
export class WebhookDispatcher {
  private readonly clock: () => Date;

  constructor(
    private readonly knex: Knex,
    private readonly logger: Logger,
    private readonly options: WebhookDispatcherOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  async deliverDue(): Promise<{ delivered: number; retrying: number; failed: number }> {
    const summary = { delivered: 0, retrying: 0, failed: 0 };
    const batchSize = this.options.batchSize ?? 50;
    for (;;) {
      const now = this.clock();
      const claimed = await claimDueWebhookDeliveries(
        this.knex,
        now,
        new Date(now.getTime() + (this.options.leaseMs ?? 60_000)),
        batchSize,
      );
      for (const delivery of claimed) summary[await this.deliver(delivery)] += 1;
      if (claimed.length < batchSize) return summary;
    }
  }

  private async deliver(delivery: ClaimedWebhookDelivery): Promise<'delivered' | 'retrying' | 'failed'> {
    const policy = this.options.policy ?? {};
    const refused = await refuseWebhookTarget(delivery.url, policy);
    if (refused) {
      await recordWebhookOutcome(this.knex, delivery, { status: 'failed', code: null, error: refused });
      return 'failed';
    }
    const body = JSON.stringify(delivery.payload);
    let code: number | null = null;
    let error: string;
    try {
      code = await postWebhook(
        delivery.url,
        body,
        {
          'user-agent': 'ArcFit-Webhooks/1',
          'arcfit-delivery-id': delivery.id,
          'arcfit-event-type': delivery.event_type,
          'arcfit-signature': signWebhook(delivery.secret, body, this.clock()),
        },
        policy,
      );
      if (code >= 200 && code < 300) {
        await recordWebhookOutcome(this.knex, delivery, { status: 'delivered', code, at: this.clock() });
        return 'delivered';
      }
      error = `receiver answered ${code}`;
    } catch (e) {
      error = (e as Error).message;
    }
    this.logger.warn({ delivery: delivery.id, attempt: delivery.attempts, error }, 'webhook delivery failed');
    if (delivery.attempts >= WEBHOOK_MAX_ATTEMPTS) {
      await recordWebhookOutcome(this.knex, delivery, { status: 'failed', code, error });
      return 'failed';
    }
    const retryAt = new Date(
      this.clock().getTime() + (this.options.retryBaseMs ?? 60_000) * 2 ** (delivery.attempts - 1),
    );
    await recordWebhookOutcome(this.knex, delivery, { status: 'retry', code, error, retryAt });
    return 'retrying';
  }
}
