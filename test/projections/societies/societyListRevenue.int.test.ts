import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { billingProjection } from '../../../src/projections/billing/billingProjection';
import { physicalTableName } from '../../../src/projections/engine/projection';
import { ProjectionEngine } from '../../../src/projections/engine/projectionEngine';
import { societiesProjection } from '../../../src/projections/societies/societiesProjection';
import { listSocieties } from '../../../src/projections/societies/societyQueries';
import { seedSocieties } from '../../support/seedSocieties';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

/**
 * GET /societies shows a society's revenue only to its admins (and super admins). The list reads
 * it only for those: a caller who may not see a society's revenue does not have it summed, read
 * or held in the process at all.
 */
let db: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool, { pollIntervalMs: 100 });
  await seedSocieties(store, 3, 0);
  const engine = new ProjectionEngine(
    db.knex,
    store,
    [societiesProjection, billingProjection],
    pino({ level: 'silent' }),
    {
      batchSize: 50,
      idleMs: 100,
      retryDelayMs: 50,
    },
  );
  const applied = new Promise<void>((resolve) =>
    engine.onAdvance((c) => c.name === 'societies' && c.eventsApplied === 3 && resolve()),
  );
  engine.start();
  await applied;
  await engine.close();
});
afterAll(async () => {
  await store.close();
  await db.dispose();
});

const entry = (societyId: string, amount: string) => ({
  id: randomUUID(),
  kind: 'payment',
  payment_id: randomUUID(),
  society_id: societyId,
  plan_id: randomUUID(),
  plan_name: 'Monthly',
  month: '2030-01',
  amount,
  currency: 'INR',
  occurred_at: new Date('2030-01-15T10:00:00Z'),
});

it('sums revenue for the societies the caller administers only', async () => {
  const [a, b, c] = await listSocieties(db.knex, { limit: 10, revenueOf: 'every' });
  await db
    .knex(physicalTableName('revenue_entries', billingProjection.version))
    .insert([entry(a!.id, '100.00'), entry(a!.id, '50.00'), entry(b!.id, '25.00')]);

  const revenues = async (revenueOf: 'every' | string[]) =>
    (await listSocieties(db.knex, { limit: 10, revenueOf })).map((r) => [r.id, r.revenue_details]);
  expect(await revenues('every')).toEqual([
    [a!.id, '150.00'],
    [b!.id, '25.00'],
    [c!.id, '0.00'],
  ]);
  expect(await revenues([b!.id, c!.id])).toEqual([
    [a!.id, null],
    [b!.id, '25.00'],
    [c!.id, '0.00'],
  ]);
  expect(await revenues([])).toEqual([
    [a!.id, null],
    [b!.id, null],
    [c!.id, null],
  ]);
});
