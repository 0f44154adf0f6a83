/**
 * The API under load over loopback: the service runs as a child process (bench/api/server.ts, the
 * composition of `npm start`) on a throwaway embedded PostgreSQL, is seeded through its own API,
 * then driven with autocannon endpoint by endpoint — listings, bookings, cancellations, payments
 * — each beside `GET /bench/select-1` (one `SELECT 1` on the same server), measured in this run.
 *
 *   npm run bench:api
 *
 * BENCH_SECONDS (8)       seconds per read scenario (writes run a fixed number of requests, and
 *                         their rate is count ÷ wall time to the last answer: ../support/fixedCount.ts)
 * BENCH_CONNECTIONS (16)  concurrent connections
 * BENCH_BOOKINGS (400)    bookings made (then cancelled) in the write scenarios
 * BENCH_SOCIETIES (3), BENCH_MEMBERS (20), BENCH_PAYERS (40), BENCH_WEEKS (6)   dataset shape
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { fixedCount, type FixedRequest } from '../support/fixedCount';
import { markdownTable } from '../support/markdownTable';
import { startBenchServer, type BenchServer } from '../support/postgresServer';
import { PRICE, seed, type Seeded } from './seed';
import { randomUUID } from 'node:crypto';

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const config = {
  seconds: env('BENCH_SECONDS', 8),
  connections: env('BENCH_CONNECTIONS', 16),
  bookings: env('BENCH_BOOKINGS', 400),
  shape: {
    societies: env('BENCH_SOCIETIES', 3),
    members: env('BENCH_MEMBERS', 20),
    payers: env('BENCH_PAYERS', 40),
    weeks: env('BENCH_WEEKS', 6),
  },
};
const RESULTS = join(__dirname, '..', 'results', 'api-latest.json');
const RESULTS_MD = RESULTS.replace(/\.json$/, '.md');
const ROOT = { email: 'bench-root@example.com', password: 'bench root passphrase' };

/** Reads run for BENCH_SECONDS; writes send a fixed number of requests (known when they start). */
type Scenario = {
  name: string;
  /** What a user is doing, for the printed table. */
  what: string;
} & (
  | { options: Omit<autocannon.Options, 'url'> }
  | {
      count: () => number;
      nth: (i: number) => FixedRequest;
      onAnswer?: (i: number, status: number, body: string) => void;
    }
);

interface Measured {
  name: string;
  what: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  /** Fixed-count writes: seconds from the first request to the last answer (the rate's divisor). */
  wall_seconds?: number;
}

const run = async (base: string, scenario: Scenario): Promise<Measured> => {
  if ('count' in scenario) {
    const row = await fixedCount(base, scenario.count(), config.connections, scenario.nth, scenario.onAnswer);
    return {
      name: scenario.name,
      what: scenario.what,
      requests: row.requests,
      rps: row.rps,
      p50: row.p50,
      p99: row.p99,
      non2xx: row.non2xx,
      errors: row.errors,
      statuses: row.statuses,
      wall_seconds: Number(row.seconds.toFixed(3)),
    };
  }
  const result = await autocannon({
    url: base,
    connections: config.connections,
    ...scenario.options,
  });
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]),
  );
  const requests = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    name: scenario.name,
    what: scenario.what,
    requests,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
  };
};

type Booked = { id: string; token: string };

const scenarios = (seeded: Seeded, booked: Booked[]): Scenario[] => {
  const s0 = seeded.societies[0]!;
  const bearer = (token: string) => ({
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  });
  const read = (name: string, what: string, path: string, token?: string): Scenario => ({
    name,
    what,
    options: {
      duration: config.seconds,
      requests: [{ method: 'GET', path, headers: token ? bearer(token) : {} }],
    },
  });
  // Interleave societies so concurrent bookings spread as real traffic would.
  const bookings = seeded.bookings
    .map((b, i) => ({ b, key: (i % 5) + Math.floor(i / 5) * 1000 + (i % seeded.societies.length) * 0.1 }))
    .sort((x, y) => x.key - y.key)
    .map((x) => x.b);
  const bookingCount = Math.min(bookings.length, config.bookings);
  // Each booking is cancelled by the admin of its own society (another society's admin gets 404).
  return [
    read('baseline: SELECT 1', 'bare route, one trivial query', '/bench/select-1'),
    read('GET /health', 'no query at all', '/health'),
    read(
      'GET /events?society_id',
      'a member lists their society’s classes',
      `/api/v1/events?society_id=${s0.id}`,
      s0.member.token,
    ),
    read('GET /events/{id}', 'a member opens a class', `/api/v1/events/${s0.classIds[0]}`, s0.member.token),
    read(
      'GET /members/{id}/bookings',
      'a member lists their bookings',
      `/api/v1/members/${s0.member.id}/bookings`,
      s0.member.token,
    ),
    read('GET /societies', 'anyone lists societies', '/api/v1/societies'),
    // The same listing signed in: the difference is what authenticating a request costs.
    read(
      'GET /societies (signed in)',
      'the same, with a member’s token',
      '/api/v1/societies',
      s0.member.token,
    ),
    {
      name: 'POST /bookings',
      what: 'an admin books a member (confirmed or waitlisted)',
      count: () => bookingCount,
      nth: (i) => ({
        method: 'POST',
        path: '/api/v1/bookings',
        headers: { ...bearer(bookings[i]!.token), 'idempotency-key': randomUUID() },
        body: JSON.stringify({ event_id: bookings[i]!.classId, member_id: bookings[i]!.memberId }),
      }),
      // A 202 answer does not name the class: the request's admin cancels it below.
      onAnswer: (i, status, body) => {
        if (status === 201 || status === 202)
          booked.push({ id: (JSON.parse(body) as { id: string }).id, token: bookings[i]!.token });
      },
    },
    {
      name: 'DELETE /bookings/{id}',
      what: 'the admin cancels those bookings (waitlist promoted)',
      // Known only once the bookings have been answered.
      count: () => booked.length,
      nth: (i) => ({
        method: 'DELETE',
        path: `/api/v1/bookings/${booked[i]!.id}`,
        headers: bearer(booked[i]!.token),
      }),
    },
    {
      name: 'POST /payments',
      what: 'an admin pays a member’s subscription (simulated gateway)',
      count: () => seeded.payments.length,
      nth: (i) => ({
        method: 'POST',
        path: '/api/v1/payments',
        headers: bearer(seeded.payments[i]!.token),
        body: JSON.stringify({
          member_id: seeded.payments[i]!.memberId,
          subscription_id: seeded.payments[i]!.planId,
          amount: PRICE,
          transaction_id: `txn_${randomUUID()}`,
        }),
      }),
    },
  ];
};

const table = (rows: Measured[], baseline: Measured) => {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    `${pad('endpoint', 28)} ${pad('req', 6)} ${pad('req/s', 8)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('rps/base', 9)} ${pad('p99/base', 9)} non-2xx`,
  ];
  for (const r of rows)
    lines.push(
      `${pad(r.name, 28)} ${pad(String(r.requests), 6)} ${pad(r.rps.toFixed(0), 8)} ${pad(String(r.p50), 7)} ${pad(String(r.p99), 7)} ${pad((r.rps / baseline.rps).toFixed(2), 9)} ${pad((r.p99 / Math.max(baseline.p99, 1)).toFixed(1), 9)} ${r.non2xx}${r.non2xx ? ` ${JSON.stringify(r.statuses)}` : ''}`,
    );
  return lines.join('\n');
};

let pgServer: BenchServer | undefined;
let child: ChildProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'arcfit-bench-api-'));

const shutdown = async () => {
  if (child && child.exitCode === null && child.pid) {
    const exited = once(child, 'exit');
    process.kill(child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }
  await pgServer?.stop();
  rmSync(dataDir, { recursive: true, force: true });
};

const main = async () => {
  pgServer = await startBenchServer({ fsync: 'off', synchronous_commit: 'off', shared_buffers: '256MB' });
  const databaseUrl = await pgServer.createDatabase('bench_api');
  child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'server.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      SUPER_ADMIN_EMAIL: ROOT.email,
      SUPER_ADMIN_PASSWORD: ROOT.password,
      DB_POOL_SIZE: '20',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child!.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child!.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  console.log(`seeding ${JSON.stringify(config.shape)} …`);
  const started = Date.now();
  const seeded = await seed(base, ROOT, config.shape);
  console.log(
    `seeded in ${((Date.now() - started) / 1000).toFixed(0)} s: ${seeded.societies.length} societies, ${seeded.bookings.length} bookable pairs, ${seeded.payments.length} payments due`,
  );

  const booked: Booked[] = [];
  const measured: Measured[] = [];
  for (const scenario of scenarios(seeded, booked)) {
    const m = await run(base, scenario);
    console.log(
      `  ${m.name}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, non-2xx ${m.non2xx}`,
    );
    measured.push(m);
  }
  const baseline = measured[0]!;
  console.log(`\n${table(measured, baseline)}\n`);
  mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, model: cpus()[0]?.model },
        config,
        baseline: baseline.name,
        scenarios: measured.map((m) => ({
          ...m,
          rps: Number(m.rps.toFixed(1)),
          rps_ratio: Number((m.rps / baseline.rps).toFixed(3)),
          p99_ratio: Number((m.p99 / Math.max(baseline.p99, 1)).toFixed(2)),
        })),
      },
      null,
      2,
    )}\n`,
  );
  const at = new Date().toISOString();
  writeFileSync(
    RESULTS_MD,
    `# bench:api — ${at}, ${cpus().length} CPUs, ${config.connections} connections\n\n` +
      'Reads run for BENCH_SECONDS each; writes send a fixed count, rate = count ÷ wall time to the last answer.\n\n' +
      `${markdownTable(
        [
          'endpoint',
          'what',
          'requests',
          'req/s',
          'p50 ms',
          'p99 ms',
          'req/s ÷ baseline',
          'p99 ÷ baseline',
          'non-2xx',
        ],
        measured.map((m) => [
          m.name,
          m.what,
          m.requests,
          m.rps.toFixed(0),
          m.p50,
          m.p99,
          (m.rps / baseline.rps).toFixed(2),
          (m.p99 / Math.max(baseline.p99, 1)).toFixed(1),
          m.non2xx,
        ]),
      )}\n`,
  );
  console.log(`written to ${RESULTS} and ${RESULTS_MD}`);
};

process.once('SIGINT', () => void shutdown().finally(() => process.exit(130)));
main()
  .then(shutdown)
  .catch(async (error) => {
    console.error(error);
    await shutdown();
    process.exit(1);
  });
