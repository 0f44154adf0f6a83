/**
 * Full rebuild of every projection from position zero (ShadowRebuild, as `cli rebuild` and
 * replay verification run it) over at least BENCH_EVENTS events, beside the raw single-row
 * INSERT rate of the same PostgreSQL measured in this run.
 *
 *   npm run bench:projections
 *
 * BENCH_EVENTS (100000)   events seeded before the rebuild
 * BENCH_BATCH (5000)      events read per page and applied per transaction
 * BENCH_DURABLE (0)       1 keeps fsync and synchronous_commit on (default relaxes them, as the tests do)
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { openDatabase, type Database } from '../../src/platform/database';
import { migrate } from '../../src/platform/migrations';
import { allProjections } from '../../src/projections';
import { ShadowRebuild } from '../../src/projections/engine/shadowRebuild';
import { startBenchServer, type BenchServer } from '../support/postgresServer';
import { measureRawInserts } from './rawInserts';
import { seedHistories } from './seed';

const env = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const config = {
  events: env('BENCH_EVENTS', 100_000),
  batchSize: env('BENCH_BATCH', 5000),
  durable: process.env.BENCH_DURABLE === '1',
};
const TARGET_EVENTS_PER_SECOND = 20_000;
const RESULTS = join(__dirname, '..', 'results', 'projections-latest.json');

const main = async (): Promise<void> => {
  console.log(
    `projections benchmark: ${JSON.stringify(config)}; ${cpus().length} CPUs, node ${process.version}`,
  );
  let server: BenchServer | undefined;
  let database: Database | undefined;
  let store: PostgresEventStore | undefined;
  try {
    server = await startBenchServer({
      shared_buffers: '256MB',
      max_wal_size: '4GB',
      checkpoint_timeout: '30min',
      ...(config.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
    });
    database = openDatabase(await server.createDatabase('bench_projections'), { maxConnections: 20 });
    await migrate(database.knex);
    store = new PostgresEventStore(database.pool);

    let started = Date.now();
    const seeded = await seedHistories(store, config.events);
    console.log(`seeded ${seeded} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const raw = await measureRawInserts(database.pool, seeded, config.batchSize);
    console.log(
      `raw INSERT: ${raw.rowsPerSecond.toFixed(0)} rows/s (${raw.rows} single-row INSERTs, ${config.batchSize} per transaction)`,
    );

    const rebuild = new ShadowRebuild(database.knex, store, allProjections, 'bench_rebuild', {
      batchSize: config.batchSize,
    });
    await rebuild.create();
    started = performance.now();
    await rebuild.advanceTo(undefined, ({ eventsRead }) => {
      if (eventsRead % (config.batchSize * 4) === 0) process.stdout.write(`\r  rebuilt ${eventsRead} events`);
    });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write('\n');
    if (rebuild.failures.size > 0)
      throw new Error(`projections failed: ${JSON.stringify([...rebuild.failures])}`);
    const eventsPerSecond = rebuild.eventsRead / seconds;
    const rows = await database.knex.raw<{ rows: Array<{ n: string }> }>(
      `SELECT sum(n_live_tup)::bigint AS n FROM pg_stat_user_tables WHERE schemaname = 'bench_rebuild'`,
    );
    const result = {
      ranAt: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      config,
      projections: allProjections.map((p) => `${p.name}_v${p.version}`),
      eventsRebuilt: rebuild.eventsRead,
      rebuildSeconds: Number(seconds.toFixed(2)),
      rebuildEventsPerSecond: Math.round(eventsPerSecond),
      readRowsWritten: Number(rows.rows[0]?.n ?? 0),
      busySecondsByProjection: Object.fromEntries(
        [...rebuild.busyMs.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([name, ms]) => [name, Number((ms / 1000).toFixed(2))]),
      ),
      rawInsertRowsPerSecond: Math.round(raw.rowsPerSecond),
      ratioToRawInsert: Number((eventsPerSecond / raw.rowsPerSecond).toFixed(2)),
      target: { eventsPerSecond: TARGET_EVENTS_PER_SECOND, met: eventsPerSecond >= TARGET_EVENTS_PER_SECOND },
    };
    console.table({
      'full rebuild (all projections)': { 'per second': result.rebuildEventsPerSecond, unit: 'events' },
      'raw single-row INSERT': { 'per second': result.rawInsertRowsPerSecond, unit: 'rows' },
    });
    console.log('seconds spent per projection (they run side by side):', result.busySecondsByProjection);
    console.log(
      `ratio rebuild/raw INSERT: ${result.ratioToRawInsert}; target ≥ ${TARGET_EVENTS_PER_SECOND} events/s: ${result.target.met ? 'met' : 'NOT met'}`,
    );
    mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written to ${RESULTS}`);
  } finally {
    await store?.close();
    await database?.close();
    await server?.stop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
