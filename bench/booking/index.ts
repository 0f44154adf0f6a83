/**
 * Booking throughput and latency over HTTP, the whole service in-process (API, command handler,
 * projections, read-your-writes answers) on a throwaway embedded PostgreSQL, beside the raw
 * single-row INSERT rate of the same server measured in the same run.
 *
 *   npm run bench:booking
 *
 * BENCH_BOOKINGS (1200)  bookings per concurrency level in scenario (a)
 * BENCH_SECONDS (3)      seconds of raw INSERTs per concurrency level for the baseline
 *
 * (a) many classes, no contention: every booking is a different class (members book five classes
 *     each, on different days of one week), at 8 and 32 concurrent clients.
 * (b) one hot 20-seat class: 200 members book it at once (20 seats, 180 waitlist places).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startBenchServer, type BenchServer } from '../support/postgresServer';
import { percentile } from '../store/timing';
import { inParallel, seedSociety, startService, type Service } from './world';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = { bookings: env('BENCH_BOOKINGS', 1200), seconds: env('BENCH_SECONDS', 3), levels: [8, 32] };
const RESULTS = join(__dirname, '..', 'results', 'booking-latest.json');

/** Baseline: one autocommit single-row INSERT per operation, `concurrency` clients, for `seconds`. */
const rawInsertRate = async (url: string, concurrency: number, seconds: number) => {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS raw_insert (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, data jsonb NOT NULL)',
  );
  const until = Date.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await pool.query('INSERT INTO raw_insert (data) VALUES ($1)', [JSON.stringify({ member: count, seat: 1 })]);
        count++;
      }
    }),
  );
  await pool.end();
  return count / seconds;
};

interface Timed {
  bookingsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
}

const timed = async (count: number, concurrency: number, op: (i: number) => Promise<{ status: number }>) => {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  await inParallel(count, concurrency, async (i) => {
    const t0 = performance.now();
    const res = await op(i);
    latencies.push(performance.now() - t0);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    bookingsPerSec: count / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses,
  } satisfies Timed;
};

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

let server: BenchServer | undefined;
let service: Service | undefined;

const main = async () => {
  console.log(`booking benchmark: ${JSON.stringify(config)}; ${cpus().length} CPUs, node ${process.version}`);
  server = await startBenchServer({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
  const url = await server.createDatabase('bench_booking');
  const baselineUrl = await server.createDatabase('bench_raw');
  service = await startService(url);
  const society = await seedSociety(service);

  const noContention: Record<number, Timed & { rawInsertsPerSec: number; ratio: number }> = {};
  for (const concurrency of config.levels) {
    const n = config.bookings;
    console.log(`(a) seeding ${n} classes and ${Math.ceil(n / 5)} members…`);
    // Member j books classes 5j..5j+4, one a day Mon–Fri: no overlaps, exactly the weekly limit.
    const classIds = await society.classes(
      Array.from({ length: n }, (_, k) => ({ day: k % 5, hour: 5 + (Math.floor(k / 5) % 15), maxMembers: 20 })),
    );
    const memberIds = await society.members(Math.ceil(n / 5));
    const result = await timed(n, concurrency, (k) => society.book(classIds[k]!, memberIds[Math.floor(k / 5)]!));
    console.log(`(a) ${concurrency} clients: ${JSON.stringify(result)}`);
    const raw = await rawInsertRate(baselineUrl, concurrency, config.seconds);
    noContention[concurrency] = { ...result, rawInsertsPerSec: raw, ratio: result.bookingsPerSec / raw };
  }

  console.log('(b) seeding one 20-seat class and 200 members…');
  const [hotClass] = await society.classes([{ day: 6, hour: 9, maxMembers: 20 }]);
  const hotMembers = await society.members(200);
  const hot = await timed(200, 200, (i) => society.book(hotClass!, hotMembers[i]!));
  const rawHot = await rawInsertRate(baselineUrl, 32, config.seconds);

  console.log('\nscenario                                  clients  bookings/s  raw INSERT/s  ratio   p50 ms   p99 ms  answers');
  for (const [c, r] of Object.entries(noContention))
    console.log(
      `(a) many classes, no contention           ${c.padStart(7)}  ${round(r.bookingsPerSec).toString().padStart(10)}  ${round(r.rawInsertsPerSec).toString().padStart(12)}  ${round(r.ratio, 2).toFixed(2).padStart(5)}  ${round(r.p50Ms).toString().padStart(7)}  ${round(r.p99Ms).toString().padStart(7)}  ${JSON.stringify(r.statuses)}`,
    );
  console.log(
    `(b) one hot 20-seat class, 200 at once    ${'200'.padStart(7)}  ${round(hot.bookingsPerSec).toString().padStart(10)}  ${round(rawHot).toString().padStart(12)}  ${round(hot.bookingsPerSec / rawHot, 2).toFixed(2).padStart(5)}  ${round(hot.p50Ms).toString().padStart(7)}  ${round(hot.p99Ms).toString().padStart(7)}  ${JSON.stringify(hot.statuses)}`,
  );
  const targets = {
    noContentionRatioAtLeast0_3: Object.values(noContention).every((r) => r.ratio >= 0.3),
    hotClassP99Under250Ms: hot.p99Ms < 250,
  };
  console.log(`\ntargets: ${JSON.stringify(targets)}`);
  mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
  writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { cpus: cpus().length, node: process.version },
        config,
        noContention,
        hotClass: { ...hot, rawInsertsPerSecAt32: rawHot, ratio: hot.bookingsPerSec / rawHot },
        targets,
      },
      null,
      2,
    ),
  );
  console.log(`results: ${RESULTS}`);
};

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await service?.close();
    await server?.stop();
  });
