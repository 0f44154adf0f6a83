/**
 * Repeatable A/B runs of the read side's two big passes over one seeded log, without seeding it
 * again each time (bench:projections seeds afresh on every run, which at 200k events takes longer
 * than what it measures):
 *
 *   node --import tsx bench/projections/repeat.ts rebuild    # ShadowRebuild of every read model
 *   node --import tsx bench/projections/repeat.ts catchup    # ProjectionEngine from zero
 *
 * REPEAT_DIR (/tmp/arcfit-repeat)  the cluster's folder: kept between runs, the log seeded once
 * REPEAT_EVENTS (200000)           events seeded on the first run (bench:projections' histories)
 * REPEAT_PORT (55439)              the cluster's port
 *
 * Each catch-up runs on a copy of the log (CREATE DATABASE … TEMPLATE), so its read models start
 * empty; each rebuild goes into a fresh shadow schema. Prints the rate and where the time went.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { ProtectedEventStore } from '../../src/events/store/personalData/protectedEventStore';
import { PersonalDataKeys } from '../../src/events/store/personalData/personalDataKeys';
import { startEmbeddedPostgres } from '../../src/platform/embeddedPostgres';
import { openDatabase, type Database } from '../../src/platform/database';
import { migrate } from '../../src/platform/migrations';
import { allProjections } from '../../src/projections';
import { ShadowRebuild } from '../../src/projections/engine/shadowRebuild';
import { measureEngineCatchUp } from './engineCatchUp';
import { seedHistories, spreadOverHistory } from './seed';
import { withClient, withDatabase } from '../support/pgClient';

const mode = process.argv[2] ?? 'rebuild';
const dir = process.env.REPEAT_DIR ?? '/tmp/arcfit-repeat';
const events = Number(process.env.REPEAT_EVENTS ?? 200_000);
const port = Number(process.env.REPEAT_PORT ?? 55439);
/** REPEAT_STATS=1: pg_stat_statements on, its top statements by time printed at the end. */
const stats = process.env.REPEAT_STATS === '1';

/**
 * CPU seconds the cluster has used so far: the postmaster, its live children, and the children it
 * has reaped (closed connections). The machine is shared, so CPU per event is the steadier figure.
 */
const clusterCpuSeconds = (): number => {
  const tick = 100;
  const fields = (pid: string): string[] | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    } catch {
      return undefined;
    }
  };
  const postmaster = readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8')
    .split('\n')[0]!
    .trim();
  const own = fields(postmaster)!;
  // After ')': state ppid … utime is field 14 overall, i.e. index 11 here; cutime, cstime at 13, 14.
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const f = fields(pid);
    if (f && f[1] === postmaster) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / tick;
};

const nodeCpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

const storeOf = (database: Database) =>
  new ProtectedEventStore(new PostgresEventStore(database.pool), new PersonalDataKeys(database.pool));

const main = async (): Promise<void> => {
  const server = await startEmbeddedPostgres({
    dataDir: dir,
    port,
    settings: {
      shared_buffers: '256MB',
      max_wal_size: '4GB',
      checkpoint_timeout: '30min',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      ...(stats ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {}),
    },
  });
  try {
    const exists = await withClient(server.url, async (c) => {
      const r = await c.query(`SELECT 1 FROM pg_database WHERE datname = 'repeat_log'`);
      return r.rowCount === 1;
    });
    if (!exists) {
      await withClient(server.url, (c) => c.query('CREATE DATABASE repeat_log'));
      const database = openDatabase(withDatabase(server.url, 'repeat_log'), { maxConnections: 20 });
      try {
        await migrate(database.knex);
        const store = storeOf(database);
        const seeded = await seedHistories(store, events);
        await spreadOverHistory(database.pool, seeded.histories.startsAt);
        console.log(`seeded ${seeded.events} events`);
      } finally {
        await database.close();
      }
    }
    await withClient(server.url, async (c) => {
      await c.query('DROP DATABASE IF EXISTS repeat_copy');
      await c.query('CREATE DATABASE repeat_copy TEMPLATE repeat_log');
    });
    const database = openDatabase(withDatabase(server.url, 'repeat_copy'), { maxConnections: 20 });
    const store = storeOf(database);
    try {
      await migrate(database.knex);
      if (stats) {
        await database.knex.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        await database.knex.raw('SELECT pg_stat_statements_reset()');
      }
      const dbBefore = clusterCpuSeconds();
      const nodeBefore = nodeCpuSeconds();
      const cpu = () =>
        `CPU: node ${(nodeCpuSeconds() - nodeBefore).toFixed(1)} s, postgres ${(clusterCpuSeconds() - dbBefore).toFixed(1)} s`;
      if (mode === 'catchup') {
        const caught = await measureEngineCatchUp(database.knex, store, allProjections, 500);
        console.log(
          `catch-up: ${caught.events} events in ${caught.seconds.toFixed(2)} s = ${Math.round(caught.events / caught.seconds)} ev/s; ${cpu()}`,
        );
      } else if (mode === 'each') {
        // One projection at a time (and none: the reads alone), for CPU per read model.
        const only = process.env.REPEAT_ONLY?.split(',');
        for (const projection of [
          undefined,
          ...allProjections.filter((p) => !only || only.includes(p.name)),
        ]) {
          const chosen = projection ? [projection] : [];
          const rebuild = new ShadowRebuild(database.knex, store, chosen, 'repeat_each');
          await rebuild.create();
          const db0 = clusterCpuSeconds();
          const node0 = nodeCpuSeconds();
          const started = performance.now();
          await rebuild.advanceTo();
          const seconds = (performance.now() - started) / 1000;
          console.log(
            `${(projection?.name ?? '(reads only)').padEnd(20)} ${seconds.toFixed(2).padStart(6)} s wall, node ${(nodeCpuSeconds() - node0).toFixed(2).padStart(5)} s, postgres ${(clusterCpuSeconds() - db0).toFixed(2).padStart(5)} s${rebuild.failures.size ? ' FAILED' : ''}`,
          );
          await rebuild.drop();
        }
      } else if (mode === 'digest') {
        // Every rebuilt table's rows as one md5: old and new code must write identical rows.
        // The outbox's rows depend on which facts are recent: the clock stands at the newest event.
        const { rows: newest } = await database.knex.raw<{ rows: Array<{ at: Date }> }>(
          'SELECT max(created_at) AS at FROM events',
        );
        const frozen = newest[0]!.at.getTime();
        Date.now = () => frozen;
        const rebuild = new ShadowRebuild(database.knex, store, allProjections, 'repeat_digest');
        await rebuild.create();
        await rebuild.advanceTo();
        if (rebuild.failures.size > 0) throw new Error(JSON.stringify([...rebuild.failures]));
        const { rows: tables } = await database.knex.raw<{ rows: Array<{ t: string }> }>(
          `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'repeat_digest' ORDER BY 1`,
        );
        for (const { t } of tables) {
          const { rows } = await database.knex.raw<{ rows: Array<{ n: string; md5: string | null }> }>(
            // The outbox's created_at/updated_at are PostgreSQL's now(): left out.
            `SELECT count(*) AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS md5
               FROM (SELECT CASE WHEN ? = 'notifications' THEN to_jsonb(r) - 'created_at' - 'updated_at' ELSE to_jsonb(r) END AS x FROM repeat_digest.?? r) y`,
            [t, t],
          );
          if (Number(rows[0]!.n) > 0)
            console.log(`${t.padEnd(36)} ${rows[0]!.n.padStart(7)} ${rows[0]!.md5}`);
        }
      } else {
        const rebuild = new ShadowRebuild(database.knex, store, allProjections, 'repeat_rebuild');
        await rebuild.create();
        const started = performance.now();
        await rebuild.advanceTo();
        const seconds = (performance.now() - started) / 1000;
        if (rebuild.failures.size > 0) throw new Error(JSON.stringify([...rebuild.failures]));
        console.log(
          `rebuild: ${rebuild.eventsRead} events in ${seconds.toFixed(2)} s = ${Math.round(rebuild.eventsRead / seconds)} ev/s; waited on reads ${(rebuild.readWaitMs / 1000).toFixed(2)} s; ${cpu()}`,
        );
        console.log(
          Object.fromEntries(
            [...rebuild.busyMs.entries()]
              .sort((a, b) => b[1] - a[1])
              .map(([n, ms]) => [n, +(ms / 1000).toFixed(2)]),
          ),
        );
      }
      if (stats) {
        const { rows } = await database.knex.raw<{ rows: Array<Record<string, unknown>> }>(
          `SELECT round(total_exec_time) AS ms, calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS q
             FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 40`,
        );
        for (const r of rows)
          console.log(
            `${String(r.ms).padStart(7)} ms ${String(r.calls).padStart(6)} calls ${String(r.rows).padStart(8)} rows  ${String(r.q)}`,
          );
      }
    } finally {
      await store.close();
      await database.close();
    }
  } finally {
    await server.stop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
