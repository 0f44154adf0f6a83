import type { Knex } from 'knex';
import { hashChainMigration } from '../../events/store/postgres/hashChainMigration';

import { ANALYST_ROLE } from '../../projections/analytics/analystRole';

export { ANALYST_ROLE };

/**
 * 0009_audit: the events' hash chain; per-person keys for personal data in events (erasing a
 * person deletes their key, so the events stay and stay replayable but no longer say who); the
 * `analytics` schema of read-only views for analysts and the role that may read it.
 */
export const auditMigration: Knex.Migration = {
  async up(knex) {
    await hashChainMigration.up(knex);
    await knex.raw(`
      CREATE TABLE personal_data_keys (
        subject_id uuid PRIMARY KEY,
        -- AES-256-GCM key; deleting the row is the erasure
        key        bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE erased_subjects (
        subject_id uuid PRIMARY KEY,
        erased_at  timestamptz NOT NULL DEFAULT now(),
        -- who asked, for the auditors; never the person's details
        erased_by  uuid
      );
      CREATE SCHEMA IF NOT EXISTS analytics;
    `);
    // Roles belong to the cluster, not the database, and creating one needs CREATEROLE: a
    // database user without it still migrates, and the CLI reports what it could not do.
    await knex.raw(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ANALYST_ROLE}') THEN
          CREATE ROLE ${ANALYST_ROLE} NOLOGIN;
        END IF;
      EXCEPTION WHEN insufficient_privilege OR duplicate_object OR unique_violation THEN
        -- another database of the same cluster created it a moment ago, or we may not
        RAISE NOTICE 'role ${ANALYST_ROLE} not created here: %', SQLERRM;
      END $$;
      DO $$
      BEGIN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${ANALYST_ROLE}', current_database());
        GRANT USAGE ON SCHEMA analytics TO ${ANALYST_ROLE};
      EXCEPTION WHEN insufficient_privilege OR undefined_object THEN
        RAISE NOTICE 'role ${ANALYST_ROLE} not granted here: %', SQLERRM;
      END $$;
    `);
  },
  async down(knex) {
    await knex.raw(
      `DROP SCHEMA analytics CASCADE; DROP TABLE erased_subjects; DROP TABLE personal_data_keys;`,
    );
    await hashChainMigration.down!(knex);
  },
};
