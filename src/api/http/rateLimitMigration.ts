import type { Knex } from 'knex';

/**
 * `rate_limit_windows`: one row per rate-limited key (e.g. a client address), shared by every API
 * replica. Operational state, not a business fact.
 */
export const rateLimitMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE rate_limit_windows (
        key       text PRIMARY KEY,
        hits      integer NOT NULL,
        resets_at timestamptz NOT NULL
      );
      CREATE INDEX rate_limit_windows_resets_at ON rate_limit_windows (resets_at);
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE rate_limit_windows');
  },
};
