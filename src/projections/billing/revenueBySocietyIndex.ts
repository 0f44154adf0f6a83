/**
 * The index GET /societies sums a society's revenue by: `revenue_details` is the sum of the
 * society's revenue_entries in its currency, for every society on the page. Leading with
 * (society_id, currency) and holding `amount`, the sum is an index-only scan of that society's
 * entries instead of a heap visit per entry (about 75 per society in bench:growth's histories).
 * One definition for the table's creation (billingProjection) and the migration that adds it to
 * tables created before it.
 */
export const REVENUE_BY_SOCIETY_COLUMNS = ['society_id', 'currency', 'amount'] as const;

/**
 * Its name on one version's table: the name knex gives `t.index(columns)` in the table's
 * definition (`revenue_entries_v2_society_id_currency_amount_index`), so the migration's
 * IF NOT EXISTS finds an index the definition made.
 */
export const revenueBySocietyIndexName = (physicalTable: string): string =>
  `${physicalTable}_${REVENUE_BY_SOCIETY_COLUMNS.join('_')}_index`;
