import type { Knex } from 'knex';

/**
 * Indexes for the audit trail's filters (`GET /audit/events?type=…&society_id=…&from=…`), so a
 * filter that matches little reads little instead of scanning the whole log: each index leads
 * with the filtered value and continues in `$all` order, so a page is a range scan in order.
 * Plain CREATE INDEX (migrations run in a transaction): on a large existing log, run the same
 * statements CONCURRENTLY by hand first and this migration finds them (IF NOT EXISTS).
 */
export const auditTrailIndexMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE INDEX IF NOT EXISTS events_by_type ON events (type, transaction_id, global_position);
      CREATE INDEX IF NOT EXISTS events_by_society ON events ((data->>'societyId'), transaction_id, global_position)
        WHERE (data->>'societyId') IS NOT NULL;
      CREATE INDEX IF NOT EXISTS events_by_time ON events (created_at);
    `);
  },
  async down(knex) {
    await knex.raw('DROP INDEX events_by_type, events_by_society, events_by_time');
  },
};
