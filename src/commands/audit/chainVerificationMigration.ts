import type { Knex } from 'knex';

/**
 * The hash-chain verification's resumable state: where the last walk of `$all` stopped, what it
 * found, and each stream's chain tip as of that position. A run continues from there, so checking
 * a growing log costs only its new events, and memory is one page of events at a time.
 */
export const chainVerificationMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE hash_chain_tips (
        stream_id text PRIMARY KEY,
        revision  bigint NOT NULL,
        hash      text NOT NULL,
        broken    boolean NOT NULL
      );
      CREATE TABLE hash_chain_verification (
        id              smallint PRIMARY KEY CHECK (id = 1),
        verified_through text NOT NULL,
        events_checked  bigint NOT NULL,
        broken_links    jsonb NOT NULL,
        head_digest     text,
        started_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        finished_at     timestamptz
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE hash_chain_tips, hash_chain_verification');
  },
};
