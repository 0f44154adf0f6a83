/**
 * What event sourcing costs against a plain CRUD service of the same booking API on the same
 * PostgreSQL: the project and the CRUD baseline (bench/crud) under the same load, alternated pair
 * by pair (odd pairs project first, even pairs CRUD first) on one embedded PostgreSQL, each side
 * started fresh on a database of its own. Every rate is divided by the same side's SELECT-1
 * baseline of the same run; the table shows project ÷ CRUD of those, median and range over pairs.
 *
 *   npm run bench:compare
 *
 * BENCH_PAIRS (3)            pairs of runs (one project run and one CRUD run each)
 * BENCH_SECONDS (5)          seconds per read row
 * BENCH_CONNECTIONS (16)     autocannon connections for reads, POST and DELETE /bookings
 * BENCH_BOOKINGS (400)       bookings made, then cancelled, in the POST/DELETE rows
 * BENCH_STORM_BOOKINGS (600) bookings per client count in the storm rows (a)
 * BENCH_LEVELS (8,32)        client counts of the storm rows (a)
 * BENCH_POOL (20)            database pool size of both sides
 * BENCH_SOCIETIES (3), BENCH_MEMBERS (20), BENCH_WEEKS (6)   dataset shape (as bench:api's)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { startBenchServer, type BenchServer } from '../support/postgresServer';
import { bookRow, cancelRow, itemsOf, readRow, stormRow, type Booked, type Measured } from './measure';
import { consoleTable, markdownTable, summarise, type SideRun } from './report';
import { startCrud, startProject, type Side, type SideName } from './sides';

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const config = {
  pairs: env('BENCH_PAIRS', 3),
  seconds: env('BENCH_SECONDS', 5),
  connections: env('BENCH_CONNECTIONS', 16),
  bookings: env('BENCH_BOOKINGS', 400),
  stormBookings: env('BENCH_STORM_BOOKINGS', 600),
  levels: (process.env.BENCH_LEVELS ?? '8,32')
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
  pool: env('BENCH_POOL', 20),
  shape: {
    societies: env('BENCH_SOCIETIES', 3),
    members: env('BENCH_MEMBERS', 20),
    weeks: env('BENCH_WEEKS', 6),
  },
};
const RESULTS = join(__dirname, '..', 'results');

const READS = [
  ['GET /health', 'no query at all'],
  ['GET /events?society_id', 'a member lists their society’s classes'],
  ['GET /events/{id}', 'a member opens a class'],
  ['GET /members/{id}/bookings', 'a member lists their bookings'],
  ['GET /societies', 'anyone lists societies'],
  ['GET /societies (signed in)', 'the same, with a member’s token'],
] as const;
const ROWS = [
  { name: 'baseline: SELECT 1', what: 'bare route, one SELECT 1 (each side’s own yardstick)' },
  ...READS.map(([name, what]) => ({ name, what })),
  { name: 'POST /bookings', what: 'an admin books a member, many classes (rate to the last answer)' },
  { name: 'DELETE /bookings/{id}', what: 'the admin cancels those bookings (rate to the last answer)' },
  ...config.levels.map((n) => ({ name: `(a) storm, ${n} clients`, what: 'every booking a different class' })),
  { name: '(b) hot class, 200 on 20 seats', what: '200 members book one class at once, kept connections' },
];

/** Each side's read paths; before measuring, each answers 200 with what a client expects. */
const readPaths = (side: Side): Record<(typeof READS)[number][0], [string, string | undefined]> => {
  const { society } = side.api;
  const member = society.member;
  return {
    'GET /health': ['/health', undefined],
    'GET /events?society_id': [`/api/v1/events?society_id=${society.id}`, member.token],
    'GET /events/{id}': [`/api/v1/events/${society.classIds[0]}`, member.token],
    'GET /members/{id}/bookings': [`/api/v1/members/${member.id}/bookings`, member.token],
    'GET /societies': ['/api/v1/societies', undefined],
    'GET /societies (signed in)': ['/api/v1/societies', member.token],
  };
};

const probe = async (side: Side, name: string, path: string, token: string | undefined) => {
  const res = await fetch(`${side.origin}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = (await res.json()) as unknown;
  const list = itemsOf(body);
  const listed = path.includes('/events?') || path.endsWith('/societies');
  if (res.status !== 200 || (listed && !list?.length))
    throw new Error(`${side.name} ${name}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
};

/** A rate is only worth comparing if the answers were right: after the hot class, no seat is left. */
const checkHotClass = async (side: Side, token: string, classId: string) => {
  const res = await fetch(`${side.origin}/api/v1/events/${classId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as { seats_left?: number };
  if (res.status !== 200 || body.seats_left !== 0)
    throw new Error(`${side.name}: the hot class shows ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
};

/** One side's run: the reads, the write pair, the storms, each with its statements per request. */
const runSide = async (side: Side, pair: number, loader: ChildProcess): Promise<SideRun> => {
  const rows: Record<string, Measured> = {};
  const counted = async (name: string, work: () => Promise<Omit<Measured, 'statementsPerRequest'>>) => {
    const before = await side.settled();
    const m = await work();
    const statements = (await side.settled()) - before;
    rows[name] = { ...m, statementsPerRequest: statements / Math.max(1, m.requests) };
    console.log(
      `  ${side.name} ${name}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, ${rows[name].statementsPerRequest.toFixed(2)} statements/request ${JSON.stringify(m.statuses)}`,
    );
    return m;
  };
  const { seconds, connections } = config;
  const paths = readPaths(side);
  // Warm-up, not measured: a fresh process's first second is mostly the JIT compiling its paths.
  const warmUp: [string, string | undefined][] = [['/bench/select-1', undefined], ...Object.values(paths)];
  for (const [path, token] of warmUp) await readRow(side.origin, path, token, 1, connections);
  const first = await counted('baseline: SELECT 1', () =>
    readRow(side.origin, '/bench/select-1', undefined, seconds, connections),
  );
  for (const [name] of READS) {
    const [path, token] = paths[name];
    await probe(side, name, path, token);
    await counted(name, () => readRow(side.origin, path, token, seconds, connections));
  }
  const booked: Booked[] = [];
  await counted('POST /bookings', () =>
    bookRow(side.origin, side.api.bookings.slice(0, config.bookings), connections, booked),
  );
  await counted('DELETE /bookings/{id}', () => cancelRow(side.origin, booked, connections));

  const storm = await side.storm();
  const base = `${side.origin}/api/v1`;
  for (const level of config.levels) {
    const n = config.stormBookings;
    // Member j books classes 5j..5j+4, Mon–Fri of one week: no overlaps, exactly the weekly limit.
    const classIds = await storm.classes(
      Array.from({ length: n }, (_, k) => ({
        day: k % 5,
        hour: 5 + (Math.floor(k / 5) % 15),
        maxMembers: 20,
      })),
    );
    const members = await storm.members(Math.ceil(n / 5));
    const requests = classIds.map((c, k) => storm.bookingRequest(c, members[Math.floor(k / 5)]!));
    await counted(`(a) storm, ${level} clients`, () =>
      stormRow(loader, { base, concurrency: level, requests }),
    );
  }
  const [hotClass] = await storm.classes([{ day: 6, hour: 9, maxMembers: 20 }]);
  const hotMembers = await storm.members(200);
  await counted('(b) hot class, 200 on 20 seats', () =>
    stormRow(loader, {
      base,
      concurrency: 200,
      connections: 'kept',
      requests: hotMembers.map((m) => storm.bookingRequest(hotClass!, m)),
    }),
  );
  await checkHotClass(side, storm.bookingRequest(hotClass!, '').token, hotClass!);
  // The baseline again after the rest: the machine is shared, its load drifts within a run.
  const again = await readRow(side.origin, '/bench/select-1', undefined, seconds, connections);
  console.log(`  ${side.name} baseline again: ${again.rps.toFixed(0)} req/s (first ${first.rps.toFixed(0)})`);
  return { side: side.name, pair, baselineRps: (first.rps + again.rps) / 2, rows };
};

let server: BenchServer | undefined;
let loader: ChildProcess | undefined;

const main = async () => {
  console.log(`compare: ${JSON.stringify(config)}; ${cpus().length} CPUs, node ${process.version}`);
  server = await startBenchServer({
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '256MB',
  });
  loader = fork(join(__dirname, '..', 'booking', 'httpLoad.ts'), { execArgv: ['--import', 'tsx'] });
  const runs: SideRun[] = [];
  for (let pair = 1; pair <= config.pairs; pair++) {
    const order: SideName[] = pair % 2 ? ['project', 'crud'] : ['crud', 'project'];
    for (const name of order) {
      const url = await server.createDatabase(`${name}_${pair}`);
      const started = Date.now();
      console.log(`pair ${pair}, ${name}: seeding…`);
      const side = await (name === 'project' ? startProject : startCrud)(url, config.shape, config.pool);
      try {
        console.log(`pair ${pair}, ${name}: seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        runs.push(await runSide(side, pair, loader));
      } finally {
        await side.stop();
      }
    }
  }
  const summaries = summarise(runs, ROWS);
  console.log(`\n${consoleTable(summaries)}\n`);
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
  const at = new Date().toISOString();
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, 'compare-latest.json'),
    `${JSON.stringify({ at, machine, config, rows: summaries, runs }, null, 2)}\n`,
  );
  writeFileSync(
    join(RESULTS, 'compare-latest.md'),
    `# bench:compare — the project against the CRUD baseline (bench/crud)\n\n${at}, ${machine.cpus} CPUs (${machine.model}), node ${machine.node}; ${config.pairs} pairs, ${config.seconds} s per read row, ${config.connections} connections, ${config.bookings} bookings then cancellations, ${config.stormBookings} storm bookings per client count, pool ${config.pool} on both sides.\n\n` +
      `project ÷ CRUD: (project rate ÷ project SELECT-1 rate) ÷ (CRUD rate ÷ CRUD SELECT-1 rate), per pair; median and range over the pairs. 1.00: the same cost relative to the machine; 0.50: half the CRUD rate. req/s, p99 and statements per request: medians over the pairs (statements counted in each server process, background work included).\n\n${markdownTable(summaries)}\n`,
  );
  console.log(`written to ${join(RESULTS, 'compare-latest.json')} and compare-latest.md`);
};

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    loader?.kill();
    await server?.stop();
  });
