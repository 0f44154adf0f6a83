import { billingProjection } from '../../../src/projections/billing/billingProjection';
import { revenueBySocietyIndexName } from '../../../src/projections/billing/revenueBySocietyIndex';
import { revenueBySocietyIndexMigration } from '../../../src/projections/billing/revenueBySocietyIndexMigration';
import { physicalTableName } from '../../../src/projections/engine/projection';
import { ensureTables } from '../../../src/projections/engine/tables';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

/**
 * GET /societies sums each listed society's revenue_entries: with an index on (society_id,
 * currency, amount) that is an index-only scan of the society's entries, without it a heap visit
 * per entry. The index must be there on a fresh database (the table's definition) and on one
 * whose table was created before it (the migration).
 */
let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db.dispose();
});

const table = physicalTableName('revenue_entries', billingProjection.version);

const indexDefinitions = async (): Promise<string[]> =>
  (
    await db.pool.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE tablename = $1', [table])
  ).rows.map((r) => r.indexdef);

const coversRevenueBySociety = (definitions: string[]) =>
  definitions.some((d) => d.includes('(society_id, currency, amount)'));

describe('revenue_entries: the index GET /societies sums revenue by', () => {
  it('is created with the table on a fresh database', async () => {
    await ensureTables(db.knex, billingProjection);
    expect(coversRevenueBySociety(await indexDefinitions())).toBe(true);
  });

  it('is added by the migration to a table created before it', async () => {
    await ensureTables(db.knex, billingProjection);
    await db.pool.query(`DROP INDEX IF EXISTS "${revenueBySocietyIndexName(table)}"`);
    expect(coversRevenueBySociety(await indexDefinitions())).toBe(false);
    await revenueBySocietyIndexMigration.up(db.knex);
    expect(coversRevenueBySociety(await indexDefinitions())).toBe(true);
    // A second run (the index already there) changes nothing.
    await revenueBySocietyIndexMigration.up(db.knex);
    expect(
      (await indexDefinitions()).filter((d) => d.includes('(society_id, currency, amount)')),
    ).toHaveLength(1);
  });

  it('leaves a database with no billing tables yet alone', async () => {
    await revenueBySocietyIndexMigration.up(db.knex);
    expect(await indexDefinitions()).toEqual([]);
  });
});
