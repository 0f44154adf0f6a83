import type { Knex } from 'knex';

export const projectionEngineMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE projection_checkpoints (
        name             text NOT NULL,
        version          integer NOT NULL,
        -- a Position pair (see src/events/store/position.ts); numeric holds any adapter's uint64
        commit_position  numeric(20,0) NOT NULL DEFAULT -1,
        prepare_position numeric(20,0) NOT NULL DEFAULT -1,
        -- building: filling its tables from position zero; active: serves reads; retired: replaced
        status           text NOT NULL DEFAULT 'building' CHECK (status IN ('building', 'active', 'retired')),
        events_applied   bigint NOT NULL DEFAULT 0,
        last_event_at    timestamptz,
        updated_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, version)
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE projection_checkpoints');
  },
};
