/**
 * Booking throughput and latency over HTTP, the whole service in-process (API, command handler,
 * projections, read-your-writes answers) on a throwaway embedded PostgreSQL, beside the raw
 * single-row INSERT rate of the same server measured in the same run.
 *
 *   npm run bench:booking
 *
 * BENCH_BOOKINGS (1200)  bookings per concurrency level in scenario (a)
 * BENCH_SECONDS (3)      seconds of raw INSERTs per concurrency level for the baseline
 * BENCH_VIA (http,commands)  which paths to measure
 * BENCH_LEVELS (8,32)    client counts for scenario (a)
 * BENCH_PROJECTIONS (in-process)  `worker`: the read models run in `src/worker.ts`, a process of their own
 *
 * (a) many classes, no contention: every booking is a different class (members book five classes
 *     each, on different days of one week), at 8 and 32 concurrent clients.
 * (b) one hot 20-seat class: 200 members book it at once (20 seats, 180 waitlist places).
 *
 * Each scenario runs twice, with the projections running either way:
 * - `http`: POST /events/{id}/bookings from a separate load-generator process (httpLoad.ts), one
 *   keep-alive connection per client opened before the clock starts (as from a reverse proxy),
 *   each answer sent once the booking read models show the booking;
 * - `commands`: BookingCommands.book in-process, the write side alone (eligibility, weekly slot,
 *   seat).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startBenchServer, type BenchServer } from '../support/postgresServer';
import { percentile } from '../store/timing';
import { markdownTable } from '../support/markdownTable';
import { randomUUID } from 'node:crypto';
import { BookingCommands } from '../../src/commands/booking/bookingCommands';
import { subscriptionEligibility } from '../../src/commands/billing/subscriptionEligibility';
import { inParallel, seedSociety, startService, type Service } from './world';
import { fork, type ChildProcess } from 'node:child_process';
import type { LoadOrder, LoadReport } from './httpLoad';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = {
  bookings: env('BENCH_BOOKINGS', 1200),
  seconds: env('BENCH_SECONDS', 3),
  levels: (process.env.BENCH_LEVELS ?? '8,32')
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
  via: (process.env.BENCH_VIA ?? 'http,commands').split(',') as Via[],
};
const RESULTS = join(__dirname, '..', 'results', 'booking-latest.json');

/** Baseline: one autocommit single-row INSERT per operation, `concurrency` clients, for `seconds`. */
const rawInsertRate = async (url: string, concurrency: number, seconds: number) => {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS raw_insert (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, data jsonb NOT NULL)',
  );
  const started = performance.now();
  const until = Date.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await pool.query('INSERT INTO raw_insert (data) VALUES ($1)', [
          JSON.stringify({ member: count, seat: 1 }),
        ]);
        count++;
      }
    }),
  );
  // Divided by the wall time to the last INSERT's answer, not by `seconds`: the INSERTs in flight
  // when the time is up finish after it (and are counted).
  const elapsed = (performance.now() - started) / 1000;
  await pool.end();
  return count / elapsed;
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

/** Runs HTTP requests from the load-generator process (httpLoad.ts) and reports like `timed`. */
const timedOverHttp = (client: ChildProcess, order: LoadOrder): Promise<Timed> =>
  new Promise((resolve, reject) => {
    client.once('message', (message: LoadReport | { error: string }) => {
      if ('error' in message) return reject(new Error(message.error));
      resolve({
        bookingsPerSec: order.requests.length / message.seconds,
        p50Ms: message.p50Ms,
        p99Ms: message.p99Ms,
        statuses: message.statuses,
      });
    });
    client.send(order);
  });

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

let server: BenchServer | undefined;
let service: Service | undefined;
let client: ChildProcess | undefined;

type Via = 'http' | 'commands';
type Row = Timed & {
  scenario: 'a' | 'b';
  via: Via | 'http, new connections';
  concurrency: number;
  rawInsertsPerSec: number;
  ratio: number;
};

const main = async () => {
  console.log(`booking benchmark: ${JSON.stringify(config)}; ${cpus().length} CPUs, node ${process.version}`);
  server = await startBenchServer({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
  const url = await server.createDatabase('bench_booking');
  const baselineUrl = await server.createDatabase('bench_raw');
  service = await startService(url);
  client = fork(join(__dirname, 'httpLoad.ts'), { execArgv: ['--import', 'tsx'] });
  const society = await seedSociety(service);
  const direct = new BookingCommands(service.commands, subscriptionEligibility(service.commands));
  /** The write side alone, in this process (the HTTP path runs from httpLoad.ts's process). */
  const book = (classId: string, memberId: string) =>
    direct
      .book(
        { bookingId: randomUUID(), classId, memberId, bookedBy: null },
        { commandId: randomUUID(), commandType: 'BookClass' },
      )
      .then(
        () => ({ status: 201 }),
        (error: unknown) => ({ status: String(error) as unknown as number }),
      );

  const rows: Row[] = [];
  const raw: Record<number, number> = {};
  for (const concurrency of new Set([...config.levels, 32]))
    raw[concurrency] = await rawInsertRate(baselineUrl, concurrency, config.seconds);

  for (const via of config.via) {
    for (const concurrency of config.levels) {
      const n = config.bookings;
      console.log(
        `(a) ${via}, ${concurrency} clients: seeding ${n} classes and ${Math.ceil(n / 5)} members…`,
      );
      // Member j books classes 5j..5j+4, one a day Mon–Fri: no overlaps, exactly the weekly limit.
      const classIds = await society.classes(
        Array.from({ length: n }, (_, k) => ({
          day: k % 5,
          hour: 5 + (Math.floor(k / 5) % 15),
          maxMembers: 20,
        })),
      );
      const memberIds = await society.members(Math.ceil(n / 5));
      const result =
        via === 'http'
          ? await timedOverHttp(client!, {
              base: service!.base,
              concurrency,
              requests: classIds.map((c, k) => society.bookingRequest(c, memberIds[Math.floor(k / 5)]!)),
            })
          : await timed(n, concurrency, (k) => book(classIds[k]!, memberIds[Math.floor(k / 5)]!));
      rows.push({
        scenario: 'a',
        via,
        concurrency,
        ...result,
        rawInsertsPerSec: raw[concurrency]!,
        ratio: result.bookingsPerSec / raw[concurrency]!,
      });
    }
    // Over HTTP the hot class is measured twice: on kept connections (as behind a reverse proxy),
    // and with each of the 200 clients connecting on the clock.
    const hotRuns = via === 'http' ? (['kept', 'new'] as const) : (['kept'] as const);
    for (const connections of hotRuns) {
      console.log(
        `(b) ${via}${via === 'http' ? `, ${connections} connections` : ''}: seeding one 20-seat class and 200 members…`,
      );
      const [hotClass] = await society.classes([{ day: 6, hour: 9, maxMembers: 20 }]);
      const hotMembers = await society.members(200);
      const hot =
        via === 'http'
          ? await timedOverHttp(client!, {
              base: service!.base,
              concurrency: 200,
              connections,
              requests: hotMembers.map((m) => society.bookingRequest(hotClass!, m)),
            })
          : await timed(200, 200, (i) => book(hotClass!, hotMembers[i]!));
      rows.push({
        scenario: 'b',
        via: connections === 'new' ? 'http, new connections' : via,
        concurrency: 200,
        ...hot,
        rawInsertsPerSec: raw[32]!,
        ratio: hot.bookingsPerSec / raw[32]!,
      });
    }
  }

  console.log(
    '\nscenario                              via                    clients  bookings/s  raw INSERT/s  ratio   p50 ms   p99 ms  answers',
  );
  for (const r of rows)
    console.log(
      `${r.scenario === 'a' ? '(a) many classes, no contention  ' : '(b) one hot 20-seat class, 200   '}     ${r.via.padEnd(21)} ${String(r.concurrency).padStart(7)}  ${round(r.bookingsPerSec).toString().padStart(10)}  ${round(r.rawInsertsPerSec).toString().padStart(12)}  ${round(r.ratio, 2).toFixed(2).padStart(5)}  ${round(r.p50Ms).toString().padStart(7)}  ${round(r.p99Ms).toString().padStart(7)}  ${JSON.stringify(r.statuses)}`,
    );
  const pick = (scenario: string, via: string) =>
    rows.filter((r) => r.scenario === scenario && r.via === via);
  const targets = Object.fromEntries(
    config.via.flatMap((via) => [
      [`${via}: (a) ratio >= 0.3 at 8 and 32`, pick('a', via).every((r) => r.ratio >= 0.3)],
      [`${via}: (b) p99 < 250 ms`, pick('b', via).every((r) => r.p99Ms < 250)],
      ...(via === 'http'
        ? [
            [
              'http, new connections: (b) p99 < 250 ms',
              pick('b', 'http, new connections').every((r) => r.p99Ms < 250),
            ],
          ]
        : []),
    ]),
  );
  console.log(`\ntargets: ${JSON.stringify(targets, null, 1)}`);
  mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
  writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { cpus: cpus().length, node: process.version },
        config,
        rows,
        targets,
      },
      null,
      2,
    ),
  );
  const md = RESULTS.replace(/\.json$/, '.md');
  writeFileSync(
    md,
    `# bench:booking — ${new Date().toISOString()}, ${cpus().length} CPUs, node ${process.version}\n\n` +
      'Rates are bookings ÷ wall time from the first request to the last answer.\n\n' +
      `${markdownTable(
        ['scenario', 'via', 'clients', 'bookings/s', 'raw INSERT/s', 'ratio', 'p50 ms', 'p99 ms', 'answers'],
        rows.map((r) => [
          r.scenario === 'a' ? '(a) many classes, no contention' : '(b) one hot 20-seat class, 200',
          r.via,
          r.concurrency,
          round(r.bookingsPerSec),
          round(r.rawInsertsPerSec),
          round(r.ratio, 2).toFixed(2),
          round(r.p50Ms),
          round(r.p99Ms),
          JSON.stringify(r.statuses),
        ]),
      )}\n\ntargets: ${Object.entries(targets)
        .map(([name, met]) => `${name}: ${met ? 'met' : 'NOT met'}`)
        .join('; ')}\n`,
  );
  console.log(`results: ${RESULTS} and ${md}`);
};

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    client?.kill();
    await service?.close();
    await server?.stop();
  });
