import type { AuditTrailFilter } from '../../src/commands/audit/auditTrail';
import { measureFilters } from '../audit/measureFilters';
import { bookRow, readRow, type Booked } from '../compare/measure';
import { closePoint, openPoint, type OpenPoint, type PointConfig, type RoundFigures } from './point';

/** Societies on the like-for-like page: the first point's log already holds more. */
const SAME_PAGE = 5;
export const SOCIETIES_SAME_PAGE = `GET /societies?limit=${SAME_PAGE}`;

/** One load of a round; the other point's step of the same index runs right before or after it. */
export interface LoadStep {
  readonly name: string;
  readonly run: (into: RoundFigures) => Promise<void>;
}

export const emptyRound = (): RoundFigures => ({
  reads: {},
  audit: {},
  booking: { p50: NaN, p99: NaN, requests: 0, wallSeconds: NaN },
});

/** GET /audit/events as an auditor calls it: the page's event count. */
const auditOverHttp =
  (origin: string, token: string) =>
  async (filter: AuditTrailFilter): Promise<number> => {
    const query = new URLSearchParams({ limit: '100' });
    if (filter.societyId) query.set('society_id', filter.societyId);
    if (filter.types) query.set('type', filter.types.join(','));
    if (filter.from) query.set('from', filter.from.toISOString());
    if (filter.to) query.set('to', filter.to.toISOString());
    const res = await fetch(`${origin}/api/v1/audit/events?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { events?: unknown[] };
    if (res.status !== 200)
      throw new Error(`GET /audit/events?${query}: ${res.status} ${JSON.stringify(body)}`);
    return body.events?.length ?? 0;
  };

const auditFilters = (point: OpenPoint): Record<string, AuditTrailFilter> => ({
  // The seeded society: few events, all at the head of the log.
  'society (newest)': { societyId: point.seeded.societies[0]!.id },
  ...(point.oldestSociety ? { 'society (oldest)': { societyId: point.oldestSociety } } : {}),
  'type (PaymentCompleted)': { types: ['PaymentCompleted'] },
  // What the seeding recorded: a narrow window at the head of the log.
  'time (since the seeding)': { from: point.seededFrom },
  'first page, no filter': {},
});

const nonOk = (statuses: Record<string, number>) =>
  Object.entries(statuses).reduce((n, [code, count]) => (code.startsWith('2') ? n : n + count), 0);

/** Round `round`'s share of `items` (split as evenly as whole items allow). */
const shareOf = <T>(items: readonly T[], round: number, rounds: number): T[] =>
  items.slice(Math.floor((items.length * round) / rounds), Math.floor((items.length * (round + 1)) / rounds));

/**
 * The loads of round `round` on one point, through its API: the reads (autocannon,
 * `seconds` each), the audit trail's filters (`samples` ÷ rounds calls each) and the round's share
 * of the seeded society's bookings.
 */
export const loadSteps = (
  point: OpenPoint,
  config: PointConfig,
  round: number,
  say: (line: string) => void,
): LoadStep[] => {
  const { origin } = point.api;
  const s0 = point.seeded.societies[0]!;
  const reads = [
    // One SELECT 1 on the API's pool (projectServer.ts): the machine's load at this point.
    ['baseline: GET /bench/select-1', '/bench/select-1', undefined],
    ['GET /events?society_id', `/api/v1/events?society_id=${s0.id}`, s0.member.token],
    ['GET /events/{id}', `/api/v1/events/${s0.classIds[0]}`, s0.member.token],
    ['GET /members/{id}/bookings', `/api/v1/members/${s0.member.id}/bookings`, s0.member.token],
    ['GET /societies', '/api/v1/societies', undefined],
    // The same page size at every point (the default page holds up to 50 of a growing list).
    [SOCIETIES_SAME_PAGE, `/api/v1/societies?limit=${SAME_PAGE}`, undefined],
  ] as const;
  const steps: LoadStep[] = reads.map(([name, path, token]) => ({
    name,
    run: async (into) => {
      const row = await readRow(origin, path, token, config.seconds, config.connections);
      into.reads[name] = { p50: row.p50, p99: row.p99, rps: row.rps, non2xx: nonOk(row.statuses) };
      say(`${name}: p50 ${row.p50} ms, p99 ${row.p99} ms`);
    },
  }));
  steps.push({
    name: 'GET /audit/events',
    run: async (into) => {
      const samples = Math.ceil(config.samples / config.rounds);
      into.audit = await measureFilters(auditFilters(point), auditOverHttp(origin, point.rootToken), samples);
      say(
        `audit: ${Object.entries(into.audit)
          .map(([n, f]) => `${n} p99 ${f.p99.toFixed(1)} ms`)
          .join('; ')}`,
      );
    },
  });
  steps.push({
    name: 'POST /bookings',
    run: async (into) => {
      const bookings = shareOf(point.seeded.bookings.slice(0, config.bookings), round, config.rounds);
      const booked: Booked[] = [];
      const row = await bookRow(origin, bookings, config.connections, booked);
      into.booking = {
        p50: row.p50,
        p99: row.p99,
        rps: row.rps,
        non2xx: row.non2xx,
        requests: row.requests,
        wallSeconds: row.seconds,
      };
      say(
        `POST /bookings: ${row.requests} in ${row.seconds.toFixed(2)} s, p50 ${row.p50} ms, p99 ${row.p99} ms`,
      );
    },
  });
  return steps;
};

/** One point alone, its loads in one round: bench/growth/memory.ts's run. */
export const viaApi = async (url: string, config: PointConfig, say: (line: string) => void) => {
  const point = await openPoint(url, config, say);
  try {
    const figures = emptyRound();
    for (const step of loadSteps(point, { ...config, rounds: 1 }, 0, (line) => say(`  ${line}`)))
      await step.run(figures);
    return { ...figures, api: await closePoint(point) };
  } finally {
    await point.api.stop();
  }
};
