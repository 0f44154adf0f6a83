/**
 * Full rebuild of every projection from position zero (ShadowRebuild, as `cli rebuild` and
 * replay verification run it) over at least BENCH_EVENTS events, beside the raw single-row
 * INSERT rate of the same PostgreSQL measured in this run.
 *
 *   npm run bench:projections
 *
 * BENCH_EVENTS (100000)   events seeded before the rebuild (whole society histories, seed.ts)
 * BENCH_BATCH (5000)      events read per page and applied per transaction
 * BENCH_DURABLE (0)       1 keeps fsync and synchronous_commit on (default relaxes them, as the tests do)
 * BENCH_FRESH (0)         1 leaves every event stamped "just now" (the notifications projection then
 *                         treats the whole history as news); default spreads it over its weeks
 * BENCH_ENGINE (1)        0 skips the in-process catch-up (ProjectionEngine from zero, as the API
 *                         catches up on a fresh database)
 * BENCH_LIVE_BATCH (500)  the engine's live batch size (PROJECTION_BATCH_SIZE's default)
 *
 * Besides the rebuild rate it prints where the time went: reading `$all` alone (readAll page by
 * page, nothing applied), how long the rebuild waited on pages it had not yet read, and each
 * projection's busy seconds (they run side by side, so these overlap).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../../src/events/store/eventStore';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { ProtectedEventStore } from '../../src/events/store/personalData/protectedEventStore';
import { PersonalDataKeys } from '../../src/events/store/personalData/personalDataKeys';
import { openDatabase, type Database } from '../../src/platform/database';
import { migrate } from '../../src/platform/migrations';
import { allProjections } from '../../src/projections';
import { ShadowRebuild } from '../../src/projections/engine/shadowRebuild';
import { startBenchServer, type BenchServer } from '../support/postgresServer';
import { measureEngineCatchUp } from './engineCatchUp';
import { measureRawInserts } from './rawInserts';
import { seedHistories, spreadOverHistory } from './seed';

const env = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const config = {
  events: env('BENCH_EVENTS', 100_000),
  batchSize: env('BENCH_BATCH', 5000),
  durable: process.env.BENCH_DURABLE === '1',
  fresh: process.env.BENCH_FRESH === '1',
  engine: process.env.BENCH_ENGINE !== '0',
  liveBatchSize: env('BENCH_LIVE_BATCH', 500),
};
const TARGET_EVENTS_PER_SECOND = 20_000;
const RESULTS = join(__dirname, '..', 'results', 'projections-latest.json');

/** `$all` read page by page with nothing applied: the floor under any rebuild. */
const readAllAlone = async (
  store: EventStore,
  pageSize: number,
): Promise<{ events: number; seconds: number }> => {
  const started = performance.now();
  let events = 0;
  for (let page = await store.readAll({ maxCount: pageSize }); page.length > 0;) {
    events += page.length;
    if (page.length < pageSize) break;
    page = await store.readAll({ after: page[page.length - 1]!.position, maxCount: pageSize });
  }
  return { events, seconds: (performance.now() - started) / 1000 };
};

const main = async (): Promise<void> => {
  console.log(
    `projections benchmark: ${JSON.stringify(config)}; ${cpus().length} CPUs, node ${process.version}`,
  );
  let server: BenchServer | undefined;
  let database: Database | undefined;
  let store: EventStore | undefined;
  try {
    server = await startBenchServer({
      shared_buffers: '256MB',
      max_wal_size: '4GB',
      checkpoint_timeout: '30min',
      ...(config.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
    });
    database = openDatabase(await server.createDatabase('bench_projections'), { maxConnections: 20 });
    await migrate(database.knex);
    // Composed as services.ts composes it (and so `cli rebuild`): personal data is stored
    // encrypted per person and every page read decrypts it.
    store = new ProtectedEventStore(
      new PostgresEventStore(database.pool),
      new PersonalDataKeys(database.pool),
    );

    let started = Date.now();
    const { events: seeded, mix, histories } = await seedHistories(store, config.events);
    console.log(
      `seeded ${seeded} events (${histories.societies.length} societies) in ${((Date.now() - started) / 1000).toFixed(1)} s; mix in %:`,
      mix,
    );
    if (!config.fresh) await spreadOverHistory(database.pool, histories.startsAt);

    const raw = await measureRawInserts(database.pool, seeded, config.batchSize);
    console.log(
      `raw INSERT: ${raw.rowsPerSecond.toFixed(0)} rows/s (${raw.rows} single-row INSERTs, ${config.batchSize} per transaction)`,
    );

    const readOnly = await readAllAlone(store, config.batchSize);
    console.log(
      `readAll alone: ${readOnly.events} events in ${readOnly.seconds.toFixed(2)} s (${Math.round(readOnly.events / readOnly.seconds)} events/s)`,
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
    const catchUp = config.engine
      ? await measureEngineCatchUp(database.knex, store, allProjections, config.liveBatchSize)
      : undefined;
    const catchUpEventsPerSecond = catchUp ? Math.round(catchUp.events / catchUp.seconds) : undefined;
    const result = {
      ranAt: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      config,
      projections: allProjections.map((p) => `${p.name}_v${p.version}`),
      eventsRebuilt: rebuild.eventsRead,
      rebuildSeconds: Number(seconds.toFixed(2)),
      rebuildEventsPerSecond: Math.round(eventsPerSecond),
      readRowsWritten: Number(rows.rows[0]?.n ?? 0),
      eventMixPercent: mix,
      readAllAloneSeconds: Number(readOnly.seconds.toFixed(2)),
      readAllAloneEventsPerSecond: Math.round(readOnly.events / readOnly.seconds),
      rebuildWaitedOnReadsSeconds: Number((rebuild.readWaitMs / 1000).toFixed(2)),
      busySecondsByProjection: Object.fromEntries(
        [...rebuild.busyMs.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([name, ms]) => [name, Number((ms / 1000).toFixed(2))]),
      ),
      engineCatchUpEvents: catchUp?.events,
      engineCatchUpSeconds: catchUp ? Number(catchUp.seconds.toFixed(2)) : undefined,
      engineCatchUpEventsPerSecond: catchUpEventsPerSecond,
      rawInsertRowsPerSecond: Math.round(raw.rowsPerSecond),
      ratioToRawInsert: Number((eventsPerSecond / raw.rowsPerSecond).toFixed(2)),
      target: { eventsPerSecond: TARGET_EVENTS_PER_SECOND, met: eventsPerSecond >= TARGET_EVENTS_PER_SECOND },
    };
    console.table({
      'full rebuild (all projections)': { 'per second': result.rebuildEventsPerSecond, unit: 'events' },
      ...(catchUpEventsPerSecond
        ? { 'in-process catch-up (engine)': { 'per second': catchUpEventsPerSecond, unit: 'events' } }
        : {}),
      'raw single-row INSERT': { 'per second': result.rawInsertRowsPerSecond, unit: 'rows' },
    });
    console.log(
      `reading $all: ${result.readAllAloneSeconds} s alone; the rebuild waited ${result.rebuildWaitedOnReadsSeconds} s of its ${result.rebuildSeconds} s on pages not yet read`,
    );
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
