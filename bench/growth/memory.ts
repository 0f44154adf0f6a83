/**
 * bench:growth's API memory alone, quickly: one point (BENCH_GROWTH_FIRST events, 10000) measured
 * as point.ts measures it through the API (catch-up, seeding, reads, audit, bookings), with the API
 * sampled by memorySamples.ts; prints RSS, heap and external memory at the peak of each phase, and
 * the heap in use after each full collection (close to the live heap).
 *
 *   node --import tsx bench/growth/memory.ts          # ~1.5 min: the API as `npm start` launches it
 *   BENCH_MEMORY_VARIANTS='|npm start' BENCH_MEMORY_ROUNDS=2 node --import tsx bench/growth/memory.ts
 *
 * BENCH_MEMORY_VARIANTS (npm start): node flag sets for the API, separated by `|`; `npm start` is
 * the flags package.json's start script passes, an empty set node's defaults. Each is measured on
 * its own copy of the same log, alternated over BENCH_MEMORY_ROUNDS (1) rounds so that a busy
 * machine weighs on every variant alike. BENCH_HEAP_SNAPSHOT_RSS_MB, BENCH_HEAP_SNAPSHOT_FILE and
 * BENCH_ALLOCATION_PROFILE_FILE: what memorySamples.ts writes (a snapshot inflates that run's RSS). Other knobs as index.ts (BENCH_SECONDS, …).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchServer } from '../support/postgresServer';
import { GrowingLog } from './log';
import { env, pointConfigFromEnv, type PointConfig } from './point';
import { viaApi } from './pointLoads';

/** The variant that launches the API with the flags `npm start` passes (processes.ts). */
const NPM_START = 'npm start';

interface Sample {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, number>;
  cpuMs: number;
}

interface MajorGc {
  t: number;
  majorGc: number;
  heapUsed: number;
  rss: number;
}

const config: PointConfig = pointConfigFromEnv();

const measure = async (url: string, flags: string, dir: string) => {
  const samplesFile = join(dir, `samples-${Date.now()}.jsonl`);
  process.env.BENCH_MEMORY_SAMPLES_FILE = samplesFile;
  if (flags === NPM_START) delete process.env.BENCH_NODE_ARGS;
  else process.env.BENCH_NODE_ARGS = flags;
  const phases: { t: number; name: string }[] = [{ t: Date.now(), name: 'start' }];
  const figures = await viaApi(url, config, (line) => {
    phases.push({ t: Date.now(), name: line.trim().slice(0, 40) });
  });
  const lines = readFileSync(samplesFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Sample | MajorGc);
  const samples = lines.filter((l): l is Sample => 'spaces' in l);
  const majors = lines.filter((l): l is MajorGc => 'majorGc' in l);
  const peakRss = Math.round(figures.api.peakRssBytes! / 2 ** 20);
  console.log(
    `\n[${flags || "node's defaults"}] API peak RSS ${peakRss} MB, at the end ${Math.round(figures.api.rssBytes! / 2 ** 20)} MB`,
  );
  const latencies = Object.entries(figures.reads).map(
    ([n, r]) => `${n.split(':')[0]} p50 ${r.p50} p99 ${r.p99} (${Math.round(r.rps!)}/s)`,
  );
  console.log(
    `  ${latencies.join('; ')}; POST /bookings p50 ${figures.booking.p50} p99 ${figures.booking.p99}`,
  );
  // The price of a smaller old space: more full collections, and the CPU they take, while the
  // four reads after the baseline run (from the baseline's line to the /societies line).
  const from = phases.find((p) => p.name.startsWith('baseline'))!.t;
  const to = phases.find((p) => p.name.startsWith('GET /societies'))!.t;
  const serving = majors.filter((g) => g.t >= from && g.t < to);
  const pauseMs = serving.reduce((sum, g) => sum + g.majorGc, 0);
  const during = samples.filter((x) => x.t >= from && x.t < to);
  const cpuMs = during.at(-1)!.cpuMs - during[0]!.cpuMs;
  const requests = Object.entries(figures.reads)
    .filter(([name]) => !name.startsWith('baseline'))
    .reduce((sum, [, r]) => sum + r.rps! * config.seconds, 0);
  console.log(
    `  reads: ${serving.length} full collections (${pauseMs} ms), API CPU ${Math.round((cpuMs * 1000) / requests)} µs per request`,
  );
  // A line is said when its row has ended: the samples up to the next line belong to the row after
  // it, so a phase is named by the line that started it.
  for (const [i, phase] of phases.entries()) {
    const end = phases[i + 1]?.t ?? Infinity;
    const inPhase = samples.filter((s) => s.t >= phase.t && s.t < end);
    if (inPhase.length === 0) continue;
    const peak = inPhase.reduce((a, b) => (b.rss > a.rss ? b : a));
    const gcs = majors.filter((g) => g.t >= phase.t && g.t < end);
    console.log(
      `  after ${phase.name.padEnd(40)} peak rss ${peak.rss} heap ${peak.heapTotal} used ${peak.heapUsed} old ${peak.spaces.old} new ${peak.spaces.new} ext ${peak.external}; major GCs ${gcs.length}, heap used after: ${gcs.map((g) => g.heapUsed).join(' ')}`,
    );
  }
  return peakRss;
};

const main = async () => {
  const variants = (process.env.BENCH_MEMORY_VARIANTS ?? NPM_START).split('|').map((v) => v.trim());
  const rounds = env('BENCH_MEMORY_ROUNDS', 1);
  const dir = mkdtempSync(join(tmpdir(), 'arcfit-bench-memory-'));
  const server = await startBenchServer({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
  const peaks = new Map<string, number[]>(variants.map((v) => [v, []]));
  try {
    const log = new GrowingLog(await server.createDatabase('memory_log'), 'memory_log');
    await log.create();
    await log.growTo(env('BENCH_GROWTH_FIRST', 10_000), () => {});
    console.log(`log: ${log.events} events; ${JSON.stringify(config)}`);
    for (let round = 0; round < rounds; round++)
      for (const flags of variants) {
        const url = await log.copyAs('memory_point');
        peaks.get(flags)!.push(await measure(url, flags, dir));
        await log.drop('memory_point');
      }
    console.log('\npeak RSS (MB) per variant, by round:');
    for (const [flags, mb] of peaks)
      console.log(`  ${(flags || "node's defaults").padEnd(50)} ${mb.join(' ')}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
