import type { Knex } from 'knex';
import pino from 'pino';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { comparePositions } from '../../src/events/store/position';
import { readCheckpoint, readCheckpoints, type Checkpoint } from '../../src/projections/engine/checkpoints';
import { ProjectionEngine } from '../../src/projections/engine/projectionEngine';
import { PositionWaiter } from '../../src/projections/engine/positionWaiter';
import {
  physicalTableName,
  type ProjectionDefinition,
  applyEvents,
} from '../../src/projections/engine/projection';
import { societiesProjection } from '../../src/projections/societies/societiesProjection';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { seedSocieties } from '../support/seedSocieties';

const logger = pino({ level: 'silent' });
let db: TestDatabase;
let store: PostgresEventStore;

beforeEach(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool, { pollIntervalMs: 100 });
});
afterEach(async () => {
  await store.close();
  await db.dispose();
});

const run = (projections: ProjectionDefinition[], onAdvance?: (c: Checkpoint) => void) => {
  const engine = new ProjectionEngine(db.knex, store, projections, logger, {
    batchSize: 50,
    idleMs: 100,
    retryDelayMs: 50,
  });
  const waiter = new PositionWaiter(db.knex, undefined, 20);
  engine.onAdvance((checkpoint) => waiter.absorb(checkpoint));
  if (onAdvance) engine.onAdvance(onAdvance);
  engine.start();
  return { engine, waiter, stop: async () => (await engine.close(), await waiter.close()) };
};

const rows = (table: string) => db.knex(table).orderBy('id').select();

describe('projection engine', () => {
  it('applies every event exactly once and reaches the position a write returned', async () => {
    const head = await seedSocieties(store, 120, 3);
    const { waiter, stop } = run([societiesProjection]);
    expect(await waiter.waitFor(head, 20_000)).toBe(true);
    await stop();
    const checkpoint = await readCheckpoint(db.knex, 'societies', societiesProjection.version);
    const total = Number((await db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
    expect(checkpoint!.eventsApplied).toBe(total);
    const projected = await rows('societies');
    expect(projected).toHaveLength(120);
    expect(projected.every((r) => r.capacity === 1002 && r.version === 3)).toBe(true);
  });

  it('changes nothing when the same events are applied a second time', async () => {
    const head = await seedSocieties(store, 30, 2);
    const first = run([societiesProjection]);
    await first.waiter.waitFor(head, 20_000);
    await first.stop();
    const before = await rows('societies');
    // Replay everything into the same tables, as a crash between apply and checkpoint would.
    const events = await store.readAll({ maxCount: 10_000 });
    const ctx = (trx: Knex.Transaction) => ({
      trx,
      table: (l: string) => physicalTableName(l, societiesProjection.version),
    });
    await db.knex.transaction(async (trx) => {
      for (const event of events) await applyEvents(societiesProjection, [event], ctx(trx));
    });
    expect(await rows('societies')).toEqual(before);
    // And as one batch, each society's registration and changes folded together.
    const handled = events.filter((e) => societiesProjection.handles.includes(e.type));
    await db.knex.transaction((trx) => applyEvents(societiesProjection, handled, ctx(trx)));
    expect(await rows('societies')).toEqual(before);
  });

  it('rebuilds into a new version while the old one serves, then switches the view', async () => {
    const head = await seedSocieties(store, 40, 1);
    const v1 = run([societiesProjection]);
    await v1.waiter.waitFor(head, 20_000);
    await v1.stop();
    const served = await rows('societies');

    const current = societiesProjection.version;
    const v2: ProjectionDefinition = { ...societiesProjection, version: current + 1 };
    let promoted!: () => void;
    const servingV2 = new Promise<void>((resolve) => (promoted = resolve));
    const rebuild = run([v2], (c) => c.version === current + 1 && c.status === 'active' && promoted());
    await servingV2;
    await rebuild.stop();
    expect(await rows('societies')).toEqual(served);
    expect(await db.knex.schema.hasTable(physicalTableName('societies', current))).toBe(false);
    const statuses = (await readCheckpoints(db.knex)).map((c) => [c.version, c.status]);
    expect(statuses).toEqual([
      [current, 'retired'],
      [current + 1, 'active'],
    ]);
  });

  it('reports lag until it has caught up', async () => {
    const head = await seedSocieties(store, 10, 0);
    const idle = new ProjectionEngine(db.knex, store, [societiesProjection], logger);
    // Registered but not started: everything is still ahead of it.
    await db
      .knex('projection_checkpoints')
      .insert({ name: 'societies', version: societiesProjection.version, status: 'active' });
    const [behind] = await idle.lag();
    expect(behind).toMatchObject({ name: 'societies', caughtUp: false });
    const { engine, waiter, stop } = run([societiesProjection]);
    await waiter.waitFor(head, 20_000);
    const [current] = await engine.lag();
    expect(current).toMatchObject({ caughtUp: true, lagSeconds: 0 });
    expect(comparePositions(current!.position, head)).toBe(0);
    await stop();
  });

  it('tells a waiter the position was not reached when nothing projects it', async () => {
    const head = await seedSocieties(store, 1, 0);
    await db
      .knex('projection_checkpoints')
      .insert({ name: 'societies', version: societiesProjection.version, status: 'active' });
    const waiter = new PositionWaiter(db.knex, undefined, 20);
    expect(await waiter.waitFor(head, 150)).toBe(false);
    await waiter.close();
  });
});
