import type { Knex } from 'knex';

export const schedulerMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE job_runs (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job         text NOT NULL,
        trigger     text NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
        outcome     text NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed')),
        detail      text,
        started_at  timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX job_runs_by_job ON job_runs (job, started_at DESC);
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE job_runs');
  },
};
