import type { Knex } from 'knex';

/**
 * `calendar_feeds`: the secret behind each member's and trainer's calendar URL (a calendar app
 * cannot send a bearer token). Only a SHA-256 of the token is kept; issuing a new one replaces
 * the old, which is how a leaked URL is revoked. Operational state, not a business fact.
 */
export const bookingMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE calendar_feeds (
        owner_id     uuid NOT NULL,
        owner_kind   text NOT NULL CHECK (owner_kind IN ('member', 'trainer')),
        token_sha256 text NOT NULL UNIQUE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner_kind, owner_id)
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE calendar_feeds');
  },
};
