import type { AuditTrailFilter } from '../../src/commands/audit/auditTrail';

/** p in [0, 1] of an ascending list: the sample below which a share p of the samples lie. */
export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export interface FilterFigures {
  p50: number;
  p99: number;
  /** Events on the page the last sample read. */
  rows: number;
}

/**
 * Each filter read `samples` times one after the other through `read` (readAuditTrail in
 * bench:audit, GET /audit/events in bench:growth), which answers the page's event count: p50 and
 * p99 in milliseconds.
 */
export const measureFilters = async (
  filters: Record<string, AuditTrailFilter>,
  read: (filter: AuditTrailFilter) => Promise<number>,
  samples: number,
): Promise<Record<string, FilterFigures>> => {
  const figures: Record<string, FilterFigures> = {};
  for (const [name, filter] of Object.entries(filters)) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      rows = await read(filter);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    figures[name] = { p50: percentile(times, 0.5), p99: percentile(times, 0.99), rows };
  }
  return figures;
};
