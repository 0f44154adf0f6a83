/**
 * Event store throughput: our PostgreSQL adapter beside (a) plain pg INSERTs and (b) Emmett's
 * PostgreSQL store, all measured in this run on one throwaway embedded PostgreSQL.
 *
 *   npx tsx bench/store/index.ts
 *
 * BENCH_SECONDS (5)        measured seconds per cell and contender, after
 * BENCH_WARMUP_SECONDS (1) warm-up seconds
 * BENCH_ROUNDS (1)         repeat every cell; contenders rotate order each round; medians reported
 * BENCH_STREAMS (5000)     pre-seeded streams the commands scenario walks round-robin
 * BENCH_HOT_ROTATE (100)   hot-stream commands before moving to a fresh 10-event hot stream
 * BENCH_DURABLE (0)        1 keeps fsync and synchronous_commit on (default relaxes them, as the tests do)
 * BENCH_ONLY (all)         comma-separated scenarios to run: appends,commands,hot (targets need all three)
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { startBenchServer, type BenchServer } from '../support/postgresServer';
import { CONTENDER_LABELS, type Contender, type ContenderName } from './contenders/contender';
import { createEmmett } from './contenders/emmett';
import { createOurs } from './contenders/ours';
import { createPlainPg } from './contenders/plainPg';
import { combineRounds, evaluateTargets, printReport, writeJson, type Row } from './report';
import { CELLS, Operations, seed, streamPools } from './scenarios';
import { measure, type RunResult } from './timing';

const env = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
};

const config = {
  seconds: env('BENCH_SECONDS', 5),
  warmupSeconds: env('BENCH_WARMUP_SECONDS', 1),
  rounds: Math.max(1, env('BENCH_ROUNDS', 1)),
  commandStreams: env('BENCH_STREAMS', 5000),
  hotStreams: 200,
  hotRotateEvery: Math.max(1, env('BENCH_HOT_ROTATE', 100)),
  durable: env('BENCH_DURABLE', 0) === 1,
  only: (process.env.BENCH_ONLY ?? 'appends,commands,hot').split(',').map((s) => s.trim()),
};
const cells = CELLS.filter((cell) => config.only.includes(cell.scenario));
if (cells.length === 0) throw new Error('BENCH_ONLY selects no scenario (appends, commands, hot)');

const serverSettings: Record<string, string> = {
  shared_buffers: '256MB',
  max_wal_size: '4GB',
  checkpoint_timeout: '30min',
  ...(config.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
};

const RESULTS = join(__dirname, '..', 'results', 'store-latest.json');

let server: BenchServer | undefined;
const contenders: Contender[] = [];
let shuttingDown: Promise<void> | undefined;
const shutdown = (): Promise<void> =>
  (shuttingDown ??= (async () => {
    await Promise.allSettled(contenders.map((c) => c.close()));
    await server?.stop();
  })());
const interrupted = new AbortController();
process.once('SIGINT', () => {
  console.error('\ninterrupted: stopping PostgreSQL');
  interrupted.abort();
  void shutdown().finally(() => process.exit(130));
});
const checkInterrupted = (): void => {
  if (interrupted.signal.aborted) throw new Error('interrupted');
};

const main = async (): Promise<void> => {
  console.log(`store benchmark: ${JSON.stringify(config)}; ${cpus().length} CPUs, node ${process.version}`);
  server = await startBenchServer(serverSettings);
  checkInterrupted();
  const factories: [ContenderName, (url: string) => Promise<Contender>][] = [
    ['ours', createOurs],
    ['pg', createPlainPg],
    ['emmett', createEmmett],
  ];
  const pools = streamPools(config.commandStreams, config.hotStreams, config.hotRotateEvery);
  for (const [name, create] of factories) {
    const contender = await create(await server.createDatabase(`bench_${name}`));
    contenders.push(contender);
    const started = process.hrtime.bigint();
    await seed(contender, pools);
    checkInterrupted();
    console.log(
      `seeded ${CONTENDER_LABELS[name]} in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`,
    );
  }

  const operations = new Operations(pools);
  const runs = new Map<string, Record<ContenderName, RunResult[]>>();
  for (let round = 0; round < config.rounds; round++) {
    for (const cell of cells) {
      const key = `${cell.scenario}@${cell.concurrency}`;
      const perContender = runs.get(key) ?? { ours: [], pg: [], emmett: [] };
      runs.set(key, perContender);
      // Rotate who goes first each round so no contender always runs on the warmest server.
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
      for (const contender of order) {
        const result = await measure(operations.for(cell, contender), {
          concurrency: cell.concurrency,
          warmupMs: config.warmupSeconds * 1000,
          durationMs: config.seconds * 1000,
          signal: interrupted.signal,
        });
        checkInterrupted();
        perContender[contender.name].push(result);
        console.log(
          `round ${round + 1} ${key.padEnd(12)} ${contender.name.padEnd(7)} ${result.opsPerSec.toFixed(0).padStart(6)}/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms${result.errors ? `  errors ${result.errors}` : ''}`,
        );
      }
    }
  }

  const rows: Row[] = cells.map((cell) => {
    const rounds = runs.get(`${cell.scenario}@${cell.concurrency}`)!;
    return {
      ...cell,
      rounds,
      results: {
        ours: combineRounds(rounds.ours),
        pg: combineRounds(rounds.pg),
        emmett: combineRounds(rounds.emmett),
      },
    };
  });
  const targets = evaluateTargets(rows);
  console.log('');
  printReport(rows, targets);
  writeJson(RESULTS, {
    finishedAt: new Date().toISOString(),
    config,
    serverSettings,
    machine: { cpus: cpus().length, node: process.version },
    contenders: CONTENDER_LABELS,
    commandsIssued: Object.fromEntries(contenders.map((c) => [c.name, operations.commandsIssued(c.name)])),
    rows: rows.map(({ scenario, concurrency, results, rounds }) => ({
      scenario,
      concurrency,
      results,
      rounds,
    })),
    targets,
    allTargetsMet: targets.every((t) => t.met),
  });
  console.log(`\nwritten ${RESULTS}`);
};

main()
  .catch((error: unknown) => {
    if (!interrupted.signal.aborted) console.error(error);
    process.exitCode = 1;
  })
  .finally(shutdown);
