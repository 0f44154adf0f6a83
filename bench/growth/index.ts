/**
 * bench:growth — does the service keep its latencies, rates and memory as the log grows? The log
 * grows to BENCH_GROWTH_EVENTS events (bench:projections' society histories, log.ts) and is
 * measured at a first, small point and at the full size (point.ts): booking and read latency
 * through the API as bench/compare/projectServer.ts composes it, the audit trail's filtered reads
 * (bench:audit's filters, over HTTP), a fresh API catching up from zero, `cli rebuild` of every
 * read model, `cli verify-chain --from-start`, and the API's and the verifier's memory.
 *
 *   npm run bench:growth                              # 1,000,000 events: long, run it alone
 *   BENCH_GROWTH_EVENTS=50000 npm run bench:growth    # a quick check that the bench works
 *
 * BENCH_GROWTH_EVENTS (1000000)  events in the log at the full point
 * BENCH_GROWTH_FIRST (10000)     events in the log at the first point
 * BENCH_SECONDS (5)              seconds per read row
 * BENCH_CONNECTIONS (16)         autocannon connections (reads and bookings)
 * BENCH_BOOKINGS (400)           bookings per point (capped by BENCH_MEMBERS × BENCH_WEEKS × 5)
 * BENCH_SAMPLES (300)            GET /audit/events calls per filter and point
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
import { env, measurePoint, pointConfigFromEnv, type PointFigures } from './point';
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

const main = async () => {
  say(`growth benchmark: ${JSON.stringify(config)}; ${cpus().length} CPUs, node ${process.version}`);
  let server: BenchServer | undefined;
  let log: GrowingLog | undefined;
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
    const points: PointFigures[] = [];
    const growSeconds: number[] = [];
    for (const [k, target] of [config.first, config.events].entries()) {
      const t0 = performance.now();
      await log.growTo(target, (events) => process.stdout.write(`\r  log: ${events} events`));
      growSeconds.push((performance.now() - t0) / 1000);
      say(`\npoint ${k + 1}: ${log.events} events (grown in ${growSeconds[k]!.toFixed(0)} s)`);
      const name = `growth_point_${k + 1}`;
      const url = await log.copyAs(name);
      points.push(await measurePoint(url, config.point, say));
      await log.drop(name);
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
      'latencies through the API (autocannon); audit reads one at a time; booking rate = count ÷ wall time to the last answer',
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
    await log?.close();
    await server?.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
