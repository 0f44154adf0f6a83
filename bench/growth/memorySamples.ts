/**
 * Preloaded (`--import`) into the API process bench:growth runs when BENCH_MEMORY_SAMPLES_FILE is
 * set: every BENCH_MEMORY_SAMPLE_MS (250) it appends one JSON line with process.memoryUsage() and
 * V8's heap spaces, so a run can tell heap (live or garbage) from memory outside the heap (Buffers,
 * native allocations, malloc arenas) at the moment RSS peaks — the exit report only gives the peak.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

const file = process.env.BENCH_MEMORY_SAMPLES_FILE;
const MB = 2 ** 20;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/**
 * BENCH_ALLOCATION_PROFILE_FILE: V8's sampling heap profiler from start-up to the snapshot below,
 * counting objects that survived into the old generation and died there (collected by a full
 * collection): what fills the old space with garbage. A .heapprofile, as Chrome DevTools reads it.
 */
const profileFile = process.env.BENCH_ALLOCATION_PROFILE_FILE;
const session = profileFile ? new Session() : undefined;
if (session) {
  session.connect();
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
  });
}
const stopAllocationProfile = () => {
  // An in-thread session answers synchronously.
  session?.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error && profileFile) writeFileSync(profileFile, JSON.stringify(result.profile));
  });
};

if (file) {
  const every = Number(process.env.BENCH_MEMORY_SAMPLE_MS ?? 250);
  let snapshotAt = Number(process.env.BENCH_HEAP_SNAPSHOT_RSS_MB ?? 0);
  const sample = () => {
    const usage = process.memoryUsage();
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [s.space_name.replace(/_space$/, ''), mb(s.space_size)]),
    );
    const line = {
      t: Date.now(),
      rss: mb(usage.rss),
      heapTotal: mb(usage.heapTotal),
      heapUsed: mb(usage.heapUsed),
      external: mb(usage.external),
      arrayBuffers: mb(usage.arrayBuffers),
      spaces,
      // CPU the process has used (ms): per request served, it is less at the mercy of a busy
      // machine than requests per second are.
      cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    // One heap snapshot when RSS first passes BENCH_HEAP_SNAPSHOT_RSS_MB: what is live at the peak
    // (a snapshot collects garbage first, so heapUsed just before it says how much was garbage).
    if (snapshotAt > 0 && line.rss >= snapshotAt) {
      snapshotAt = 0;
      stopAllocationProfile();
      const path = writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT_FILE);
      appendFileSync(
        file,
        `${JSON.stringify({ t: Date.now(), snapshot: path, heapUsedBefore: line.heapUsed })}\n`,
      );
    }
  };
  // After each full (mark-compact) collection, heapUsed is close to the live heap: what the
  // samples above cannot tell apart from garbage not yet collected.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      const usage = process.memoryUsage();
      const line = {
        t: Date.now(),
        majorGc: Math.round(entry.duration),
        heapUsed: mb(usage.heapUsed),
        rss: mb(usage.rss),
      };
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    }
  }).observe({ entryTypes: ['gc'] });
  // unref: the sampler must never keep a process alive that would otherwise exit.
  setInterval(sample, every).unref();
}
