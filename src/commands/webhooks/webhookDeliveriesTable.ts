import type { Knex } from 'knex';

export interface ClaimedWebhookDelivery {
  readonly id: string;
  readonly subscription_id: string;
  readonly event_type: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly lease_until: Date;
  readonly url: string;
  readonly secret: string;
}

/** Claims due deliveries of active subscriptions with a lease; the attempt is counted on claim. */
export const claimDueWebhookDeliveries = async (
  knex: Knex,
  now: Date,
  leaseUntil: Date,
  batchSize: number,
): Promise<ClaimedWebhookDelivery[]> => {
  const { rows } = await knex.raw(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.active
        WHERE d.status = 'pending' AND d.next_attempt_at <= :now
          AND (d.lease_until IS NULL OR d.lease_until <= :now)
        ORDER BY d.next_attempt_at
        LIMIT :batchSize
        FOR UPDATE OF d SKIP LOCKED)
     UPDATE webhook_deliveries d
        SET lease_until = :leaseUntil, attempts = d.attempts + 1
       FROM due, webhook_subscriptions s
      WHERE d.id = due.id AND s.id = d.subscription_id
     RETURNING d.id, d.subscription_id, d.event_type, d.payload, d.attempts, d.lease_until, s.url, s.secret`,
    { now, leaseUntil, batchSize },
  );
  return rows;
};

export const recordWebhookOutcome = (
  knex: Knex,
  claimed: Pick<ClaimedWebhookDelivery, 'id' | 'lease_until'>,
  outcome:
    | { status: 'delivered'; code: number; at: Date }
    | { status: 'retry'; code: number | null; error: string; retryAt: Date }
    | { status: 'failed'; code: number | null; error: string },
) =>
  knex('webhook_deliveries')
    .where({ id: claimed.id, lease_until: claimed.lease_until })
    .update({
      lease_until: null,
      last_status_code: outcome.code,
      ...(outcome.status === 'delivered'
        ? { status: 'delivered', delivered_at: outcome.at, last_error: null }
        : outcome.status === 'retry'
          ? { next_attempt_at: outcome.retryAt, last_error: outcome.error }
          : { status: 'failed', last_error: outcome.error }),
    });
