import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import pino from 'pino';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { readCheckpoint } from '../../src/projections/engine/checkpoints';
import { ProjectionEngine } from '../../src/projections/engine/projectionEngine';
import { PositionWaiter } from '../../src/projections/engine/positionWaiter';
import { shadowOf } from '../../src/projections/engine/shadow';
import { societiesProjection } from '../../src/projections/societies/societiesProjection';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { seedSocieties } from '../support/seedSocieties';

/**
 * The projection worker is a separate process, killed with SIGKILL while a batch transaction is
 * open, again and again. Afterwards its tables must equal a full rebuild, and every event must
 * have been applied exactly once.
 */
let db: TestDatabase;
let store: PostgresEventStore;
const workers = new Set<ChildProcess>();

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool, { pollIntervalMs: 100 });
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await store.close();
  await db.dispose();
});

const startWorker = (): ChildProcess => {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PROJECTION_BATCH_SIZE: '20',
      LOG_LEVEL: 'silent',
      DB_POOL_SIZE: '4',
    },
    stdio: 'ignore',
  });
  workers.add(worker);
  worker.once('exit', () => workers.delete(worker));
  return worker;
};

/** Resolves once the worker holds an open projection transaction: the moment to kill it. */
const batchInFlight = async (worker: ChildProcess): Promise<void> => {
  for (;;) {
    if (worker.exitCode !== null) throw new Error(`worker exited early with ${worker.exitCode}`);
    const { rows } = await db.pool.query(
      `SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'arcfit-worker-knex'
          AND backend_xid IS NOT NULL`,
    );
    if (Number(rows[0].n) > 0) return;
  }
};

const projectedBeyond = async (worker: ChildProcess, count: number): Promise<void> => {
  while ((await applied()) <= count) {
    if (worker.exitCode !== null) throw new Error(`worker exited early with ${worker.exitCode}`);
  }
};

const applied = async () =>
  (await readCheckpoint(db.knex, 'societies', societiesProjection.version))?.eventsApplied ?? 0;

it('ends with read tables identical to a full rebuild after the worker is killed mid-batch', async () => {
  const head = await seedSocieties(store, 1500, 3);
  const total = Number((await db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);

  const progress: number[] = [0];
  for (let kill = 0; kill < 4; kill++) {
    const worker = startWorker();
    // Past start-up (migrations hold transactions too): kill it while projecting.
    await projectedBeyond(worker, progress[progress.length - 1]!);
    await batchInFlight(worker);
    worker.kill('SIGKILL');
    await once(worker, 'exit');
    progress.push(await applied());
  }
  // Each life made progress, and the last one died well before the end.
  for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]!);
  expect(progress[progress.length - 1]).toBeLessThan(total);

  const survivor = startWorker();
  const waiter = new PositionWaiter(db.knex, db.url, 100);
  await waiter.start();
  expect(await waiter.waitFor(head, 60_000)).toBe(true);
  survivor.kill('SIGTERM');
  await once(survivor, 'exit');
  await waiter.close();

  // Exactly once: the applied count moves in the same transaction as the rows.
  expect(await applied()).toBe(total);

  const rebuild = shadowOf(societiesProjection, 'rebuild');
  const engine = new ProjectionEngine(db.knex, store, [rebuild], pino({ level: 'silent' }), {
    batchSize: 1000,
  });
  const rebuilt = new Promise<void>((resolve) =>
    engine.onAdvance((c) => c.eventsApplied === total && resolve()),
  );
  engine.start();
  await rebuilt;
  await engine.close();

  const live = await db.knex(`societies_v${societiesProjection.version}`).orderBy('id').select();
  const fresh = await db.knex(`rebuild_societies_v${societiesProjection.version}`).orderBy('id').select();
  expect(live).toHaveLength(1500);
  expect(live).toEqual(fresh);
}, 120_000);
