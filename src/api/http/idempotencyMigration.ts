import type { Knex } from 'knex';

/**
 * `idempotency_keys`: which request an Idempotency-Key named, per caller and operation. Neither
 * the caller nor the key is kept in the clear: `key_hmac` is an HMAC of (caller scope, operation,
 * key) and `fingerprint` an HMAC of the request (path parameters, query, body — a signup's
 * password included, hence keyed rather than a plain hash). Operational state, not a business
 * fact: losing a row only loses the 422 for a changed body, never a replay (see idempotencyKeys.ts).
 */
export const idempotencyMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE idempotency_keys (
        key_hmac    text PRIMARY KEY,
        fingerprint text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE idempotency_keys');
  },
};
