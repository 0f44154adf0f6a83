import { runNamed } from '../../src/projections/namedQuery';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * A read model's view switches to a rebuilt version with other columns while connections still
 * hold statements prepared over the old one; the reads go on answering the new view's rows.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ maxConnections: 4 });
});
afterAll(async () => db.dispose());

const statement = { name: 'test.gadgets', text: 'SELECT * FROM gadgets ORDER BY id' };

it('keeps reading a view after it switches to a version with other columns', async () => {
  await db.knex.raw(`CREATE TABLE gadgets_v1 (id int PRIMARY KEY, name text)`);
  await db.knex.raw(`INSERT INTO gadgets_v1 VALUES (1, 'lamp')`);
  await db.knex.raw(`CREATE VIEW gadgets AS SELECT * FROM gadgets_v1`);
  // Prepared on one connection (knex's pool holds it between reads).
  const first = await db.knex.transaction((trx) => runNamed(trx, statement, []));
  expect(first).toEqual([{ id: 1, name: 'lamp' }]);

  await db.knex.raw(`CREATE TABLE gadgets_v2 (id int PRIMARY KEY, name text, colour text)`);
  await db.knex.raw(`INSERT INTO gadgets_v2 VALUES (1, 'lamp', 'red')`);
  await db.knex.raw(`DROP VIEW gadgets; CREATE VIEW gadgets AS SELECT * FROM gadgets_v2`);

  const reads = await Promise.all([1, 2, 3].map(() => runNamed(db.knex, statement, [])));
  expect(reads).toEqual([1, 2, 3].map(() => [{ id: 1, name: 'lamp', colour: 'red' }]));
});
