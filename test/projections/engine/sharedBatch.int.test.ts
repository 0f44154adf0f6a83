import pino from 'pino';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import type { Position } from '../../../src/events/store/position';
import { ProjectionEngine } from '../../../src/projections/engine/projectionEngine';
import { PositionWaiter } from '../../../src/projections/engine/positionWaiter';
import { createReadSide } from '../../../src/projections/engine/readSide';
import type { ProjectionDefinition } from '../../../src/projections/engine/projection';
import { shadowOf } from '../../../src/projections/engine/shadow';
import { societiesProjection } from '../../../src/projections/societies/societiesProjection';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';
import { seedSocieties } from '../../support/seedSocieties';

const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
const live = { batchSize: 20, idleMs: 50, retryDelayMs: 50 };
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

/** Every statement the knex pool sends while `work` runs, in order. */
const statementsDuring = async (work: () => Promise<void>): Promise<string[]> => {
  const sent: string[] = [];
  const record = (query: { sql: string }) => sent.push(query.sql.replace(/\s+/g, ' ').trim());
  db.knex.on('query', record);
  try {
    await work();
  } finally {
    db.knex.off('query', record);
  }
  return sent;
};

describe('one transaction per fanned-out batch', () => {
  it('applies a live batch for two read models in one BEGIN/COMMIT with one checkpoint move', async () => {
    const projections = [societiesProjection, shadowOf(societiesProjection, 'copy')];
    const seeded = await seedSocieties(store, 3, 0);
    const engine = new ProjectionEngine(db.knex, store, projections, logger, live);
    const waiter = new PositionWaiter(db.knex, undefined, 20);
    engine.onAdvance((checkpoint) => waiter.absorb(checkpoint));
    await engine.prepare();
    engine.start();
    expect(await waiter.waitFor(seeded, 20_000)).toBe(true);
    let head!: Position;
    const sent = await statementsDuring(async () => {
      head = await seedSocieties(store, 1, 0);
      expect(await waiter.waitFor(head, 20_000)).toBe(true);
    });
    await waiter.close();
    await engine.close();
    const count = (pattern: RegExp) => sent.filter((sql) => pattern.test(sql)).length;
    expect({
      begins: count(/^BEGIN/i),
      commits: count(/^COMMIT/i),
      moves: count(/UPDATE projection_checkpoints/),
    }).toEqual({ begins: 1, commits: 1, moves: 1 });
    const version = societiesProjection.version;
    expect(await db.knex(`copy_societies_v${version}`).orderBy('id')).toEqual(
      await db.knex(`societies_v${version}`).orderBy('id'),
    );
  });
});

describe('the read models answers wait for (answerFirst)', () => {
  /** The projection, its every batch held until `released` settles. */
  const heldUntil = (released: Promise<void>): ProjectionDefinition => {
    const copy = shadowOf(societiesProjection, 'held');
    const { applyBatch } = copy;
    if (!applyBatch) throw new Error('societies applies in batches');
    return {
      ...copy,
      apply: undefined,
      applyBatch: async (events, ctx) => {
        await released;
        await applyBatch(events, ctx);
      },
    };
  };

  const tables = () => ({
    societies: db.knex('societies_v' + societiesProjection.version),
    held: db.knex('held_societies_v' + societiesProjection.version),
  });

  /**
   * `societies` as the answer's read model beside a copy held until `release()`; `check` runs
   * while the copy is held, then both must end with the same rows.
   */
  const whileHeld = async (check: (waiter: PositionWaiter) => Promise<Position>) => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const engine = new ProjectionEngine(db.knex, store, [societiesProjection, heldUntil(released)], logger, {
      ...live,
      answerFirst: ['societies'],
    });
    const waiter = new PositionWaiter(db.knex, undefined, 20);
    engine.onAdvance((checkpoint) => waiter.absorb(checkpoint));
    await engine.prepare();
    engine.start();
    try {
      const last = await check(waiter);
      release();
      expect(await waiter.waitFor(last, 20_000)).toBe(true);
      expect(await tables().held.orderBy('id')).toEqual(await tables().societies.orderBy('id'));
    } finally {
      release();
      await waiter.close();
      await engine.close();
    }
  };

  it('commit their share of a batch on their own, while another read model is still at work', async () => {
    const seeded = await seedSocieties(store, 1, 0);
    await whileHeld(async (waiter) => {
      // The held read model has not applied the society yet: societies' share committed alone.
      expect(await waiter.waitFor(seeded, 10_000, ['societies'])).toBe(true);
      expect(await tables().societies.count({ n: '*' })).toEqual([{ n: '1' }]);
      expect(await tables().held.count({ n: '*' })).toEqual([{ n: '0' }]);
      return seeded;
    });
  });

  it('take the next batch while another read model still applies the one before', async () => {
    await whileHeld(async (waiter) => {
      expect(await waiter.waitFor(await seedSocieties(store, 1, 0), 10_000, ['societies'])).toBe(true);
      // The held read model is still inside its first batch; a booking's read models go on.
      const later = await seedSocieties(store, 2, 0);
      expect(await waiter.waitFor(later, 10_000, ['societies'])).toBe(true);
      expect(await tables().societies.count({ n: '*' })).toEqual([{ n: '3' }]);
      return later;
    });
  });
});

describe('checkpoint NOTIFY', () => {
  const notifies = (sent: readonly string[]) => sent.filter((sql) => /pg_notify/.test(sql)).length;

  it('sends none while no other process listens, and wakes another process once one does', async () => {
    const { engine, waiter } = await createReadSide(db.knex, store, [societiesProjection], logger, {
      connectionString: db.url,
      runner: live,
    });
    engine.start();
    expect(await waiter.waitFor(await seedSocieties(store, 2, 0), 20_000)).toBe(true);
    // Alone: its own waiter is woken in-process (engine.onAdvance), so no NOTIFY.
    const alone = await statementsDuring(async () => {
      expect(await waiter.waitFor(await seedSocieties(store, 2, 0), 20_000)).toBe(true);
    });
    expect(notifies(alone)).toBe(0);

    // Another process's waiter: it hears only NOTIFY (it never polls within this test's time).
    const elsewhere = new PositionWaiter(db.knex, db.url, 60_000);
    await elsewhere.start();
    await elsewhere.refresh();
    // The engine learns of the new listener within a second; until then its moves stay silent.
    let announced = false;
    for (const until = Date.now() + 10_000; !announced && Date.now() < until;) {
      const sent = await statementsDuring(async () => {
        expect(await waiter.waitFor(await seedSocieties(store, 1, 0), 20_000)).toBe(true);
      });
      announced = notifies(sent) > 0;
    }
    expect(announced).toBe(true);
    // It polls once a minute: only the NOTIFY can wake it this soon.
    expect(await elsewhere.waitFor(await seedSocieties(store, 1, 0), 5_000)).toBe(true);
    await elsewhere.close();
    await waiter.close();
    await engine.close();
  });
});
