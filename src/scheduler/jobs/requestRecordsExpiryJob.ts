import type { Knex } from 'knex';
import type { Job } from '../job';

/**
 * Forgets per-request records the API keeps in PostgreSQL once they no longer matter:
 *
 * - Idempotency-Key claims older than the retention window (default 24 h, Stripe's). After that,
 *   a changed request under an old key is no longer refused 422 but runs as a new request (its
 *   command id differs, so it cannot collide with the old one); an unchanged retry is still
 *   answered with the first outcome, because the write side recognises its command id.
 * - rate-limit windows that ended more than an hour ago.
 */
export const requestRecordsExpiryJob = (
  knex: Knex,
  retentionHours = 24,
  clock: () => Date = () => new Date(),
): Job => ({
  name: 'request_records_expiry',
  schedule: '17 * * * *',
  run: async () => {
    const now = clock();
    const before = new Date(now.getTime() - retentionHours * 3600_000);
    const keys = await knex('idempotency_keys').where('created_at', '<', before).delete();
    const windows = await knex('rate_limit_windows')
      .where('resets_at', '<', new Date(now.getTime() - 3600_000))
      .delete();
    return `forgot ${keys} Idempotency-Key claim(s) made before ${before.toISOString()} and ${windows} rate-limit window(s)`;
  },
});
