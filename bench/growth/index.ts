/**
 * bench:growth — does the service keep its latencies, rates and memory as the log grows? The log
 * grows to BENCH_GROWTH_EVENTS events (bench:projections' society histories, log.ts) and is
 * measured at a first, small point and at the full size (point.ts): a fresh API catching up from
 * zero at each; then, both APIs up, booking and read latency through them as
 * bench/compare/projectServer.ts composes it and the audit trail's filtered reads (bench:audit's
 * filters, over HTTP), alternated between the points in rounds (pointLoads.ts); then `cli
 * rebuild` of every read model, `cli verify-chain --from-start`, and the API's and the verifier's
 * memory.
 *
 *   npm run bench:growth                              # 1,000,000 events: long, run it alone
 *   BENCH_GROWTH_EVENTS=50000 npm run bench:growth    # a quick check that the bench works
 *
 * BENCH_GROWTH_EVENTS (1000000)  events in the log at the full point
 * BENCH_GROWTH_FIRST (10000)     events in the log at the first point
 * BENCH_SECONDS (5)              seconds per read row
 * BENCH_CONNECTIONS (16)         autocannon connections (reads and bookings)
 * BENCH_BOOKINGS (400)           bookings per point (capped by BENCH_MEMBERS × BENCH_WEEKS × 5)
 * BENCH_SAMPLES (900)            GET /audit/events calls per filter and point (over all rounds)
 * BENCH_GROWTH_ROUNDS (3)        rounds of the loads, alternated between the two points' APIs
 * BENCH_MEMBERS (20), BENCH_WEEKS (4)   the society seeded through the API at each point
 * BENCH_NODE_ARGS (unset)        node flags for the API instead of those `npm start` passes
 *
 * The API's memory alone, sampled through each phase, flag sets A/B: memory.ts (~1.5 min a run).
 *
 * Figures: bench/results/growth-latest.json and growth-latest.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { startBenchServer, type BenchServer } from '../support/postgresServer';
import { GrowingLog } from './log';
import {
  closePoint,
  env,
  openPoint,
  pointConfigFromEnv,
  viaCli,
  type OpenPoint,
  type PointFigures,
  type RoundFigures,
} from './point';
import { emptyRound, loadSteps } from './pointLoads';
import { startApi } from './processes';
import { growthRows, markdown, printTable } from './report';

const config = {
  events: env('BENCH_GROWTH_EVENTS', 1_000_000),
  first: env('BENCH_GROWTH_FIRST', 10_000),
  point: pointConfigFromEnv(),
};
if (config.first >= config.events) throw new Error('BENCH_GROWTH_FIRST must be below BENCH_GROWTH_EVENTS');

const RESULTS = join(__dirname, '..', 'results', 'growth-latest.json');
const say = (line: string) => console.log(line);

/** Spawn → /ready 200 of the API on a copy of the log holding only the super_admin. */
const apiStartup = async (log: GrowingLog): Promise<number> => {
  const url = await log.copyAs('growth_startup');
  const api = await startApi(url);
  await api.stop();
  await log.drop('growth_startup');
  return api.readySeconds;
};

/**
 * The loads on both points' APIs, in rounds: within a round each load runs on one point right
 * after the other, the order swapping from one load to the next. The machine is shared and its
 * load drifts over the minutes between the points; measured side by side, both points meet the
 * same drift, and each round gives a ratio of its own.
 */
const alternatedLoads = async (open: readonly OpenPoint[]): Promise<RoundFigures[][]> => {
  const rounds: RoundFigures[][] = open.map(() => []);
  for (let round = 0; round < config.point.rounds; round++) {
    say(`\nloads, round ${round + 1} of ${config.point.rounds}`);
    const steps = open.map((point, k) =>
      loadSteps(point, config.point, round, (line) => say(`  point ${k + 1}: ${line}`)),
    );
    const figures = open.map(() => emptyRound());
    for (const [i] of steps[0]!.entries()) {
      const order = (round + i) % 2 === 0 ? [0, 1] : [1, 0];
      for (const k of order) await steps[k]![i]!.run(figures[k]!);
    }
    figures.forEach((f, k) => rounds[k]!.push(f));
  }
  return rounds;
};

const main = async () => {
  say(`growth benchmark: ${JSON.stringify(config)}; ${cpus().length} CPUs, node ${process.version}`);
  let server: BenchServer | undefined;
  let log: GrowingLog | undefined;
  const open: OpenPoint[] = [];
  const names = ['growth_point_1', 'growth_point_2'];
  try {
    server = await startBenchServer({
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      shared_buffers: '256MB',
      max_wal_size: '4GB',
      checkpoint_timeout: '30min',
    });
    log = new GrowingLog(await server.createDatabase('growth_log'), 'growth_log');
    await log.create();
    const startupSeconds = await apiStartup(log);
    say(`API start-up with nothing to catch up: ${startupSeconds.toFixed(1)} s`);
    const growSeconds: number[] = [];
    // Each point's API catches up alone (the other point's API, if up, idles meanwhile).
    for (const [k, target] of [config.first, config.events].entries()) {
      const t0 = performance.now();
      await log.growTo(target, (events) => process.stdout.write(`\r  log: ${events} events`));
      growSeconds.push((performance.now() - t0) / 1000);
      say(`\npoint ${k + 1}: ${log.events} events (grown in ${growSeconds[k]!.toFixed(0)} s)`);
      open.push(await openPoint(await log.copyAs(names[k]!), config.point, say));
    }
    const rounds = await alternatedLoads(open);
    const apis = [];
    for (const point of open) apis.push(await closePoint(point));
    const points: PointFigures[] = [];
    for (const [k, point] of open.entries()) {
      say(`\npoint ${k + 1}, the API stopped:`);
      points.push({
        events: point.events,
        catchUp: point.catchUp,
        vacuumSeconds: point.vacuumSeconds,
        societiesOnPage: point.societiesOnPage,
        rounds: rounds[k]!,
        api: apis[k]!,
        ...(await viaCli(point.url, say)),
      });
    }
    const [first, full] = points as [PointFigures, PointFigures];
    const rows = growthRows(first, full, startupSeconds);
    const table = printTable(rows, first.events, full.events);
    say(`\n${table}\n`);
    const at = new Date().toISOString();
    const machine = {
      cpus: cpus().length,
      node: process.version,
      memoryMb: Math.round(totalmem() / 2 ** 20),
    };
    const notes = [
      `log grown from ${first.events.toLocaleString('en')} to ${full.events.toLocaleString('en')} events; ${machine.cpus} CPUs, node ${machine.node}`,
      full.events < 1_000_000
        ? `**small-scale run (BENCH_GROWTH_EVENTS=${config.events}): a check that the bench works, not the issue's 1M measurement**`
        : 'full-scale run',
      `latencies through both points' APIs (autocannon), alternated in ${config.point.rounds} rounds: medians over the rounds, each ratio the median of the rounds' ratios; audit reads one at a time; ${config.point.bookings} bookings per point, split over the rounds`,
      'rates: events ÷ (process wall time − the same process started with nothing to do)',
    ];
    mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
    writeFileSync(
      RESULTS,
      `${JSON.stringify(
        {
          at,
          machine,
          config,
          smallScale: full.events < 1_000_000,
          apiStartupSeconds: startupSeconds,
          growSeconds,
          rows,
          points,
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(RESULTS.replace(/\.json$/, '.md'), markdown(rows, `# bench:growth — ${at}`, notes));
    say(`written to ${RESULTS} and growth-latest.md`);
  } finally {
    for (const point of open) await point.api.stop();
    for (const name of names) await log?.drop(name);
    await log?.close();
    await server?.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
