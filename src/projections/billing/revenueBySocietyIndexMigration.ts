import type { Knex } from 'knex';
import { REVENUE_BY_SOCIETY_COLUMNS, revenueBySocietyIndexName } from './revenueBySocietyIndex';

/** Every version of billing's revenue table in the current schema (`revenue_entries_v<n>`). */
const revenueTables = async (knex: Knex): Promise<string[]> =>
  (
    await knex.raw<{ rows: { tablename: string }[] }>(
      `SELECT tablename FROM pg_tables
        WHERE schemaname = current_schema() AND tablename ~ '^revenue_entries_v[0-9]+$'`,
    )
  ).rows.map((r) => r.tablename);

/**
 * Adds revenueBySocietyIndex.ts's index to revenue tables that already exist. A read-model table
 * is created by the projection engine after the migrations, from its definition, and only when
 * it is missing: a fresh database (or a rebuilt version) gets the index from billingProjection,
 * a database whose table predates it gets it here. Nothing to do before the first start.
 * Plain CREATE INDEX (migrations run in a transaction); the table holds one row per payment
 * and refund, so it is built in well under a second at bench:growth's 1M events.
 */
export const revenueBySocietyIndexMigration: Knex.Migration = {
  async up(knex) {
    for (const table of await revenueTables(knex)) {
      await knex.raw(
        `CREATE INDEX IF NOT EXISTS ?? ON ?? (${REVENUE_BY_SOCIETY_COLUMNS.map(() => '??').join(', ')})`,
        [revenueBySocietyIndexName(table), table, ...REVENUE_BY_SOCIETY_COLUMNS],
      );
    }
  },
  async down(knex) {
    for (const table of await revenueTables(knex))
      await knex.raw('DROP INDEX IF EXISTS ??', [revenueBySocietyIndexName(table)]);
  },
};
