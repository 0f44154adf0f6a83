import pino from 'pino';
import type { EventStore, ReadAllOptions } from '../../../src/events/store/eventStore';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { comparePositions, START, type Position } from '../../../src/events/store/position';
import { readCheckpoint, type Checkpoint } from '../../../src/projections/engine/checkpoints';
import type { ProjectionDefinition } from '../../../src/projections/engine/projection';
import { ProjectionEngine } from '../../../src/projections/engine/projectionEngine';
import { PositionWaiter } from '../../../src/projections/engine/positionWaiter';
import { rebuildAllInPlace } from '../../../src/projections/engine/rebuildInPlace';
import { shadowOf } from '../../../src/projections/engine/shadow';
import { societiesProjection } from '../../../src/projections/societies/societiesProjection';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';
import { seedSocieties } from '../../support/seedSocieties';

const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
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

/** The store, counting what is asked of it (calls the store makes on itself included). */
const counting = (inner: EventStore) => {
  const counts = { subscriptions: 0, readsFromZero: 0, eventsRead: 0 };
  const proxy = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key === 'subscribeToAll')
        return (options?: { after?: Position }) => {
          counts.subscriptions++;
          return (value as EventStore['subscribeToAll']).call(receiver, options);
        };
      if (key === 'readAll')
        return async (options: ReadAllOptions = {}) => {
          const fromZero = !options.after || comparePositions(options.after, START) === 0;
          if (fromZero) counts.readsFromZero++;
          const page = await (value as EventStore['readAll']).call(receiver, options);
          counts.eventsRead += page.length;
          return page;
        };
      return value;
    },
  });
  return { store: proxy, counts };
};

const total = async () => Number((await db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);

/** Resolves once every named projection's checkpoint reaches `head`, as the engine announces it. */
const reached = (engine: ProjectionEngine, names: readonly string[], head: () => Position) => {
  const behind = new Set(names);
  return new Promise<void>((resolve) => {
    engine.onAdvance((c: Checkpoint) => {
      if (comparePositions(c.position, head()) >= 0) behind.delete(c.name);
      if (behind.size === 0) resolve();
    });
  });
};

const rows = (table: string) => db.knex(table).orderBy('id').select();

describe('one tail of $all per engine', () => {
  it('opens exactly one subscription and reads each event once for all its projections', async () => {
    const projections = [
      societiesProjection,
      shadowOf(societiesProjection, 'a'),
      shadowOf(societiesProjection, 'b'),
    ];
    const head = await seedSocieties(store, 60, 2);
    const { store: watched, counts } = counting(store);
    const engine = new ProjectionEngine(db.knex, watched, projections, logger, {
      batchSize: 20,
      idleMs: 50,
      retryDelayMs: 50,
    });
    const waiter = new PositionWaiter(db.knex, undefined, 20);
    engine.onAdvance((checkpoint) => waiter.absorb(checkpoint));
    engine.start();
    expect(await waiter.waitFor(head, 20_000)).toBe(true);
    // And live: appended once the engine follows.
    const liveHead = await seedSocieties(store, 10, 1);
    expect(await waiter.waitFor(liveHead, 20_000)).toBe(true);
    await waiter.close();
    await engine.close();

    expect(counts.subscriptions).toBe(1);
    expect(counts.eventsRead).toBeLessThanOrEqual(await total());
    const version = societiesProjection.version;
    const served = await rows(`societies_v${version}`);
    expect(served).toHaveLength(70);
    expect(await rows(`a_societies_v${version}`)).toEqual(served);
    expect(await rows(`b_societies_v${version}`)).toEqual(served);
  });

  it('moves the checkpoints of every runner, idle ones included, in one statement', async () => {
    const idle = (name: string): ProjectionDefinition => ({
      ...shadowOf(societiesProjection, name),
      handles: [],
    });
    const projections = [societiesProjection, idle('idle_a'), idle('idle_b'), idle('idle_c')];
    const seeded = await seedSocieties(store, 5, 0);
    const engine = new ProjectionEngine(db.knex, store, projections, logger, {
      batchSize: 20,
      idleMs: 50,
      retryDelayMs: 50,
    });
    const waiter = new PositionWaiter(db.knex, undefined, 20);
    engine.onAdvance((checkpoint) => waiter.absorb(checkpoint));
    engine.start();
    expect(await waiter.waitFor(seeded, 20_000)).toBe(true);
    const moves: string[] = [];
    const count = (query: { sql: string }) => {
      if (query.sql.includes('UPDATE projection_checkpoints')) moves.push(query.sql);
    };
    db.knex.on('query', count);
    const head = await seedSocieties(store, 1, 0);
    expect(await waiter.waitFor(head, 20_000)).toBe(true);
    db.knex.off('query', count);
    await waiter.close();
    await engine.close();
    // One for all: the societies batch's shared transaction moves the three idle runners too.
    expect(moves).toHaveLength(1);
  });

  it('keeps the others going while one runner fails, and that one recovers without losing events', async () => {
    let broken = true;
    let failures = 0;
    let failedOnce!: () => void;
    const failed = new Promise<void>((resolve) => (failedOnce = resolve));
    const copy = shadowOf(societiesProjection, 'flaky');
    const flaky: ProjectionDefinition = {
      ...copy,
      apply: undefined,
      applyBatch: async (events, ctx) => {
        if (broken) {
          failedOnce();
          throw new Error(`flaky failure ${++failures}`);
        }
        await copy.applyBatch!(events, ctx);
      },
    };
    const head = await seedSocieties(store, 50, 2);
    const engine = new ProjectionEngine(db.knex, store, [societiesProjection, flaky], logger, {
      batchSize: 20,
      idleMs: 50,
      retryDelayMs: 50,
    });
    const healthy = reached(engine, ['societies'], () => head);
    engine.start();
    await Promise.all([healthy, failed]);
    // The healthy one got everything while the flaky one kept failing.
    const stuck = await readCheckpoint(db.knex, flaky.name, flaky.version);
    expect(comparePositions(stuck!.position, head)).toBeLessThan(0);

    const recovered = reached(engine, [flaky.name], () => head);
    broken = false;
    await recovered;
    await engine.close();
    const version = societiesProjection.version;
    expect(await rows(`flaky_societies_v${version}`)).toEqual(await rows(`societies_v${version}`));
    expect((await readCheckpoint(db.knex, flaky.name, flaky.version))!.eventsApplied).toBe(await total());
  });

  it('goes on without a runner that hangs over a batch, which catches up once it answers', async () => {
    let release!: () => void;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const copy = shadowOf(societiesProjection, 'slow');
    const slow: ProjectionDefinition = {
      ...copy,
      apply: undefined,
      applyBatch: async (events, ctx) => {
        await hanging;
        await copy.applyBatch!(events, ctx);
      },
    };
    const head = await seedSocieties(store, 40, 1);
    const engine = new ProjectionEngine(db.knex, store, [slow, societiesProjection], logger, {
      batchSize: 20,
      idleMs: 50,
      retryDelayMs: 50,
      stallMs: 200,
    });
    const healthy = reached(engine, ['societies'], () => head);
    engine.start();
    await healthy;
    const recovered = reached(engine, [slow.name], () => head);
    release();
    await recovered;
    await engine.close();
    const version = societiesProjection.version;
    expect(await rows(`slow_societies_v${version}`)).toEqual(await rows(`societies_v${version}`));
    expect((await readCheckpoint(db.knex, slow.name, slow.version))!.eventsApplied).toBe(await total());
  });
});

describe('rebuilding several read models', () => {
  it('reads $all from the start once for all of them', async () => {
    const projections = [
      societiesProjection,
      shadowOf(societiesProjection, 'a'),
      shadowOf(societiesProjection, 'b'),
    ];
    await seedSocieties(store, 30, 2);
    const { store: watched, counts } = counting(store);
    const outcomes = await rebuildAllInPlace(db.knex, watched, projections, { batchSize: 40 });
    expect(counts.readsFromZero).toBe(1);
    expect(outcomes.map((o) => [o.projection, o.eventsApplied])).toEqual(
      projections.map((p) => [p.name, 90]),
    );
    const version = societiesProjection.version;
    const rebuilt = await rows(`societies_v${version}`);
    expect(rebuilt).toHaveLength(30);
    expect(await rows(`a_societies_v${version}`)).toEqual(rebuilt);
    expect(await rows(`b_societies_v${version}`)).toEqual(rebuilt);
  });
});
