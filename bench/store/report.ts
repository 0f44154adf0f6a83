import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ContenderName } from './contenders/contender';
import type { Cell } from './scenarios';
import { median, type RunResult } from './timing';

/** One cell's result per contender; with several rounds, each figure is the median over rounds. */
export interface Row extends Cell {
  readonly results: Record<ContenderName, RunResult>;
  readonly rounds: Record<ContenderName, readonly RunResult[]>;
}

export interface Target {
  readonly name: string;
  readonly required: string;
  readonly measured: string;
  readonly met: boolean;
}

export const combineRounds = (runs: readonly RunResult[]): RunResult => {
  const firstError = runs.find((r) => r.firstError)?.firstError;
  return {
    ops: median(runs.map((r) => r.ops)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    opsPerSec: median(runs.map((r) => r.opsPerSec)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    ...(firstError === undefined ? {} : { firstError }),
  };
};

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);

export const evaluateTargets = (rows: readonly Row[]): Target[] => {
  const targets: Target[] = [];
  for (const row of rows) {
    const { ours, pg } = row.results;
    if (row.scenario === 'appends' || row.scenario === 'commands') {
      const factor = row.scenario === 'appends' ? 0.7 : 0.5;
      const r = ratio(ours.opsPerSec, pg.opsPerSec);
      targets.push({
        name: `${row.scenario} @${row.concurrency}`,
        required: `ours ≥ ${factor}×(a)`,
        measured: `${r.toFixed(2)}×`,
        met: r >= factor,
      });
    }
  }
  const hot = rows.find((r) => r.scenario === 'hot');
  const single = rows.find((r) => r.scenario === 'appends' && r.concurrency === 1);
  if (hot && single) {
    const floor = 0.3 * single.results.pg.opsPerSec;
    targets.push({
      name: 'hot stream throughput',
      required: `≥ 0.3×(a) single-writer inserts = ${floor.toFixed(0)}/s`,
      measured: `${hot.results.ours.opsPerSec.toFixed(0)}/s`,
      met: hot.results.ours.opsPerSec >= floor,
    });
    targets.push({
      name: 'hot stream p99',
      required: '< 100 ms',
      measured: `${hot.results.ours.p99Ms.toFixed(1)} ms`,
      met: hot.results.ours.p99Ms < 100,
    });
  }
  return targets;
};

const table = (header: string[], lines: string[][]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
};

const n = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export const printReport = (rows: readonly Row[], targets: readonly Target[]): void => {
  console.log(
    table(
      [
        'scenario',
        'conc',
        'ours/s',
        '(a) pg/s',
        '(b) emmett/s',
        'ours/(a)',
        '(b)/(a)',
        'ours p50 ms',
        'ours p99 ms',
        '(a) p99',
        '(b) p99',
        '(b) errors',
      ],
      rows.map(({ scenario, concurrency, results: { ours, pg, emmett } }) => [
        scenario,
        String(concurrency),
        n(ours.opsPerSec),
        n(pg.opsPerSec),
        n(emmett.opsPerSec),
        n(ratio(ours.opsPerSec, pg.opsPerSec), 2),
        n(ratio(emmett.opsPerSec, pg.opsPerSec), 2),
        n(ours.p50Ms, 2),
        n(ours.p99Ms, 2),
        n(pg.p99Ms, 2),
        n(emmett.p99Ms, 2),
        String(emmett.errors),
      ]),
    ),
  );
  const failures = rows.flatMap((row) =>
    Object.entries(row.results)
      .filter(([, r]) => r.errors > 0)
      .map(
        ([name, r]) => `  ${row.scenario}@${row.concurrency} ${name}: ${r.errors} failed (${r.firstError})`,
      ),
  );
  if (failures.length) console.log(`\nfailed operations (not counted in ops/s):\n${failures.join('\n')}`);
  console.log('\ntargets:');
  for (const t of targets)
    console.log(
      `  ${t.met ? 'MET   ' : 'MISSED'}  ${t.name.padEnd(22)} ${t.required.padEnd(42)} measured ${t.measured}`,
    );
};

export const writeJson = (path: string, report: unknown): void => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
};
