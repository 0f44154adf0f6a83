import { median } from '../store/timing';
import type { Measured } from './measure';
import type { SideName } from './sides';

/**
 * From the runs to the comparison: each side's rate divided by its own SELECT-1 baseline of the
 * same run, then project ÷ CRUD of those, pair by pair, as a median and a range over the pairs.
 */
export interface SideRun {
  side: SideName;
  pair: number;
  /** Requests per second of GET /bench/select-1: the mean of its runs before and after the rest. */
  baselineRps: number;
  rows: Record<string, Measured>;
}

export interface RowSummary {
  row: string;
  what: string;
  /** project ÷ CRUD of rate ÷ own baseline, one per pair. */
  ratios: number[];
  ratio: { median: number; min: number; max: number };
  project: SideSummary;
  crud: SideSummary;
}
interface SideSummary {
  rps: number;
  normalised: number;
  p50: number;
  p99: number;
  statementsPerRequest: number;
  statuses: Record<string, number>[];
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

const sideSummary = (runs: SideRun[], row: string): SideSummary => {
  const of = (f: (m: Measured, run: SideRun) => number) => median(runs.map((run) => f(run.rows[row]!, run)));
  return {
    rps: round(
      of((m) => m.rps),
      1,
    ),
    normalised: round(
      of((m, run) => m.rps / run.baselineRps),
      4,
    ),
    p50: round(
      of((m) => m.p50),
      1,
    ),
    p99: round(
      of((m) => m.p99),
      1,
    ),
    statementsPerRequest: round(
      of((m) => m.statementsPerRequest),
      2,
    ),
    statuses: runs.map((run) => run.rows[row]!.statuses),
  };
};

export const summarise = (runs: SideRun[], rows: { name: string; what: string }[]): RowSummary[] => {
  const bySide = (side: SideName) => runs.filter((r) => r.side === side).sort((a, b) => a.pair - b.pair);
  const project = bySide('project');
  const crud = bySide('crud');
  return rows.map(({ name, what }) => {
    const ratios = project.map((p, i) => {
      const c = crud[i]!;
      return p.rows[name]!.rps / p.baselineRps / (c.rows[name]!.rps / c.baselineRps);
    });
    return {
      row: name,
      what,
      ratios: ratios.map((r) => round(r, 3)),
      ratio: {
        median: round(median(ratios), 3),
        min: round(Math.min(...ratios), 3),
        max: round(Math.max(...ratios), 3),
      },
      project: sideSummary(project, name),
      crud: sideSummary(crud, name),
    };
  });
};

const cell = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 0));

export const markdownTable = (summaries: RowSummary[]) => {
  const lines = [
    '| row | project ÷ CRUD (median) | range over pairs | project req/s | CRUD req/s | project p99 ms | CRUD p99 ms | project stmts/req | CRUD stmts/req |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of summaries)
    lines.push(
      `| ${s.row} | ${s.ratio.median.toFixed(2)} | ${s.ratio.min.toFixed(2)}–${s.ratio.max.toFixed(2)} | ${cell(s.project.rps)} | ${cell(s.crud.rps)} | ${cell(s.project.p99)} | ${cell(s.crud.p99)} | ${s.project.statementsPerRequest.toFixed(2)} | ${s.crud.statementsPerRequest.toFixed(2)} |`,
    );
  return lines.join('\n');
};

export const consoleTable = (summaries: RowSummary[]) => {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    `${pad('row', 34)} ${pad('proj÷CRUD', 10)} ${pad('range', 12)} ${pad('proj req/s', 11)} ${pad('CRUD req/s', 11)} ${pad('proj p99', 9)} ${pad('CRUD p99', 9)} ${pad('proj stm', 9)} CRUD stm`,
  ];
  for (const s of summaries)
    lines.push(
      `${pad(s.row, 34)} ${pad(s.ratio.median.toFixed(2), 10)} ${pad(`${s.ratio.min.toFixed(2)}–${s.ratio.max.toFixed(2)}`, 12)} ${pad(cell(s.project.rps), 11)} ${pad(cell(s.crud.rps), 11)} ${pad(cell(s.project.p99), 9)} ${pad(cell(s.crud.p99), 9)} ${pad(s.project.statementsPerRequest.toFixed(2), 9)} ${s.crud.statementsPerRequest.toFixed(2)}`,
    );
  return lines.join('\n');
};
