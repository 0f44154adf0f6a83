import { markdownTable } from '../support/markdownTable';
import type { PointFigures, RoundFigures } from './point';
import { SOCIETIES_SAME_PAGE } from './pointLoads';

/**
 * The growth table: one row per figure, the first point and the full log side by side, the ratio
 * full ÷ first, and the issue's target for the figures that have one. Figures of the alternated
 * loads are medians over the rounds, their ratio the median of each round's ratio, with its range.
 */
export interface Row {
  figure: string;
  unit: string;
  first: number | null;
  full: number | null;
  ratio: number | null;
  /** The ratio's range over the rounds (loads only). */
  range: string;
  target: string;
  met: boolean | null;
}

const MB = 1024 * 1024;
const LATENCY_RATIO = 1.25;
const RATE = 20_000;
const RSS_MB = 300;

const round = (n: number | null, digits = 1) =>
  n === null || !Number.isFinite(n) ? null : Math.round(n * 10 ** digits) / 10 ** digits;

/** Seconds of work: the process's wall time less its start-up; null if start-up noise swallows it. */
const workSeconds = (wall: number, startup: number) => (wall - startup > 0.05 ? wall - startup : null);
const rate = (events: number, seconds: number | null) => (seconds === null ? null : events / seconds);

const median = (values: readonly number[]): number | null => {
  const known = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
};

const pageGrew = (first: PointFigures, full: PointFigures) =>
  full.societiesOnPage > first.societiesOnPage && SOCIETIES_SAME_PAGE in (first.rounds[0]?.reads ?? {});

/** `apiStartupSeconds`: spawn → /ready 200 of the same API on a log with nothing to catch up. */
export const growthRows = (first: PointFigures, full: PointFigures, apiStartupSeconds: number): Row[] => {
  const rows: Row[] = [];
  const add = (
    figure: string,
    unit: string,
    of: (p: PointFigures) => number | null,
    target?: { text: string; met: (first: number | null, full: number) => boolean },
  ) => {
    const a = round(of(first), 2);
    const b = round(of(full), 2);
    const ratio = a !== null && b !== null && a > 0 ? round(b / a, 2) : null;
    rows.push({
      figure,
      unit,
      first: a,
      full: b,
      ratio,
      range: '',
      target: target?.text ?? '',
      met: target && b !== null ? target.met(a, b) : null,
    });
  };
  /** A figure of the alternated loads: round k of the full point against round k of the first. */
  const addPaired = (
    figure: string,
    of: (r: RoundFigures) => number | undefined,
    target?: { text: string },
  ) => {
    const values = (p: PointFigures) => p.rounds.map((r) => of(r) ?? NaN);
    const [a, b] = [values(first), values(full)];
    const ratios = a.map((x, k) => (x > 0 ? b[k]! / x : NaN)).filter(Number.isFinite);
    const ratio = round(median(ratios), 2);
    rows.push({
      figure,
      unit: 'ms',
      first: round(median(a), 2),
      full: round(median(b), 2),
      ratio,
      range: ratios.length > 1 ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : '',
      target: target?.text ?? '',
      met: target ? ratio !== null && ratio <= LATENCY_RATIO : null,
    });
  };
  const atLeastRate = {
    text: `≥ ${RATE.toLocaleString('en')}/s at full`,
    met: (_: number | null, b: number) => b >= RATE,
  };
  const underRss = { text: `< ${RSS_MB} MB at full`, met: (_: number | null, b: number) => b < RSS_MB };

  add('events in the log', 'events', (p) => p.events);
  add('VACUUM (ANALYZE) after the catch-up', 's', (p) => p.vacuumSeconds);
  add('societies on GET /societies (default page)', 'societies', (p) => p.societiesOnPage);
  const latencyTarget = { text: `median ratio ≤ ${LATENCY_RATIO}` };
  addPaired('POST /bookings p50', (r) => r.booking.p50);
  addPaired('POST /bookings p99', (r) => r.booking.p99, latencyTarget);
  for (const name of Object.keys(first.rounds[0]?.reads ?? {})) {
    addPaired(`${name} p50`, (r) => r.reads[name]?.p50);
    // The baseline shows how busy the machine was. The default page of /societies holds more
    // societies at the full point (the row above): its like-for-like row has the target.
    const unlike = name.startsWith('baseline') || (name === 'GET /societies' && pageGrew(first, full));
    addPaired(`${name} p99`, (r) => r.reads[name]?.p99, unlike ? undefined : latencyTarget);
  }
  for (const name of Object.keys(first.rounds[0]?.audit ?? {})) {
    addPaired(`GET /audit/events ${name} p50`, (r) => r.audit[name]?.p50);
    addPaired(`GET /audit/events ${name} p99`, (r) => r.audit[name]?.p99, latencyTarget);
  }
  add('catch-up: spawn → /ready 200', 's', (p) => p.catchUp.readySeconds);
  add('catch-up: spawn → listening', 's', (p) => p.catchUp.listeningSeconds);
  add('API start-up, nothing to catch up', 's', () => apiStartupSeconds);
  add(
    'catch-up rate',
    'events/s',
    (p) => rate(p.events, workSeconds(p.catchUp.readySeconds, apiStartupSeconds)),
    atLeastRate,
  );
  add('cli start-up (cli migrate)', 's', (p) => p.cliStartupSeconds);
  add('cli rebuild (all read models)', 's', (p) => p.rebuild.seconds);
  add(
    'rebuild rate',
    'events/s',
    (p) => rate(p.eventsAtRebuild, workSeconds(p.rebuild.seconds, p.cliStartupSeconds)),
    atLeastRate,
  );
  add('cli rebuild peak RSS', 'MB', (p) => (p.rebuild.peakRssBytes ?? NaN) / MB);
  add('cli verify-chain --from-start', 's', (p) => p.verification.seconds);
  add('verify-chain less start-up', 's', (p) => workSeconds(p.verification.seconds, p.cliStartupSeconds));
  add('verify-chain peak RSS', 'MB', (p) => (p.verification.peakRssBytes ?? NaN) / MB, underRss);
  add('API RSS after the loads', 'MB', (p) => (p.api.rssBytes ?? NaN) / MB);
  add('API peak RSS (catch-up included)', 'MB', (p) => (p.api.peakRssBytes ?? NaN) / MB, underRss);
  return rows;
};

const cell = (n: number | null) => (n === null ? '–' : n.toLocaleString('en'));
const verdict = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'NOT met');

/** A row's cells, in the columns of both tables. */
const cellsOf = (r: Row): string[] => [
  r.figure,
  r.unit,
  cell(r.first),
  cell(r.full),
  cell(r.ratio),
  r.range,
  r.target,
  verdict(r.met),
];

export const printTable = (rows: Row[], first: number, full: number): string => {
  const head = [
    'figure',
    'unit',
    `at ${first.toLocaleString('en')}`,
    `at ${full.toLocaleString('en')}`,
    'full ÷ first',
    'range',
    'target',
    '',
  ];
  const body = rows.map(cellsOf);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((cells) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
};

export const markdown = (rows: Row[], heading: string, notes: string[]): string =>
  `${heading}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n\n${markdownTable(
    ['figure', 'unit', 'first point', 'full log', 'full ÷ first', 'range over rounds', 'target', ''],
    rows.map(cellsOf),
  )}\n`;
