import type { Knex } from 'knex';
import type { Job } from '../job';

/**
 * Forgets Idempotency-Key claims older than the retention window (default 24 h, Stripe's). After
 * that, a changed request under an old key is no longer refused 422 but runs as a new request
 * (its command id differs, so it cannot collide with the old one); an unchanged retry is still
 * answered with the first outcome, because the write side recognises its command id.
 */
export const idempotencyKeyExpiryJob = (
  knex: Knex,
  retentionHours = 24,
  clock: () => Date = () => new Date(),
): Job => ({
  name: 'idempotency_key_expiry',
  schedule: '17 * * * *',
  run: async () => {
    const before = new Date(clock().getTime() - retentionHours * 3600_000);
    const forgotten = await knex('idempotency_keys').where('created_at', '<', before).delete();
    return `forgot ${forgotten} Idempotency-Key claim(s) made before ${before.toISOString()}`;
  },
});
