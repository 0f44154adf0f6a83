import pg from 'pg';
import type { AuditTrailFilter } from '../../src/commands/audit/auditTrail';
import { seed } from '../api/seed';
import { measureFilters, type FilterFigures } from '../audit/measureFilters';
import { bookRow, readRow, type Booked } from '../compare/measure';
import { ROOT } from './log';
import { runCli, startApi } from './processes';

/**
 * Everything bench:growth measures on one copy of the log (a "point"), in this order:
 * 1. catch-up: a fresh API process on read models that are empty, until GET /ready answers 200;
 * 2. `VACUUM (ANALYZE)` of the point's database (timed): the catch-up has just written every
 *    read model, and autovacuum working through 1M fresh rows while the loads below run landed in
 *    one point's p99s and not the other's; each point measures a settled service;
 * 3. through that API: one small society seeded by bench:api's seed (the same at every point, so
 *    the rows below compare like with like), its reads, the audit trail, its bookings, then the
 *    process's RSS;
 * 4. with the API stopped: `cli rebuild` (every read model from zero) and `cli verify-chain
 *    --from-start` (the whole hash chain), each timed less the CLI's own start-up (`cli migrate`
 *    on the same database: start services, nothing to do, close).
 */
export interface PointConfig {
  seconds: number;
  connections: number;
  bookings: number;
  samples: number;
  members: number;
  weeks: number;
}

/** A positive number from the environment, or the fallback. */
export const env = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

/** One point's load, from the BENCH_* knobs (bench:growth and bench/growth/memory.ts alike). */
export const pointConfigFromEnv = (): PointConfig => ({
  seconds: env('BENCH_SECONDS', 5),
  connections: env('BENCH_CONNECTIONS', 16),
  bookings: env('BENCH_BOOKINGS', 400),
  // 60 made each audit p99 the slowest call of the 60: one hiccup decided the row.
  samples: env('BENCH_SAMPLES', 300),
  members: env('BENCH_MEMBERS', 20),
  weeks: env('BENCH_WEEKS', 4),
});

/** Societies on the like-for-like page: the first point's log already holds more. */
const SAME_PAGE = 5;
export const SOCIETIES_SAME_PAGE = `GET /societies?limit=${SAME_PAGE}`;

export interface Latency {
  p50: number;
  p99: number;
  rps?: number;
  non2xx?: number;
}

export interface PointFigures {
  /** Events in the point's log when the API started (the growing log's copy). */
  events: number;
  /** Events when `cli rebuild` and `verify-chain` ran (the seeded society and its bookings added). */
  eventsAtRebuild: number;
  catchUp: { listeningSeconds: number; readySeconds: number };
  /** VACUUM (ANALYZE) after the catch-up, before the loads. */
  vacuumSeconds: number;
  /** Societies on GET /societies's default page (it grows with the log; see the limit row). */
  societiesOnPage: number;
  booking: Latency & { requests: number; wallSeconds: number };
  reads: Record<string, Latency>;
  audit: Record<string, FilterFigures>;
  api: { rssBytes: number | null; peakRssBytes: number | null };
  cliStartupSeconds: number;
  rebuild: { seconds: number; peakRssBytes: number | null };
  verification: { seconds: number; peakRssBytes: number | null; ok: boolean; eventsChecked: number | null };
}

const countEvents = async (url: string): Promise<{ events: number; oldestSociety: string | null }> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const n = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
    const oldest = await client.query<{ id: string }>(
      `SELECT data->>'societyId' AS id FROM events WHERE type = 'SocietyRegistered'
        ORDER BY transaction_id, global_position LIMIT 1`,
    );
    return { events: Number(n.rows[0]!.n), oldestSociety: oldest.rows[0]?.id ?? null };
  } finally {
    await client.end();
  }
};

/** Seconds to VACUUM (ANALYZE) the whole database. */
const vacuum = async (url: string): Promise<number> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    await client.query('VACUUM (ANALYZE)');
    return (performance.now() - t0) / 1000;
  } finally {
    await client.end();
  }
};

/** How many societies an anonymous GET /societies answers with (its default page). */
const societiesOnPage = async (origin: string): Promise<number> => {
  const res = await fetch(`${origin}/api/v1/societies`);
  const body: unknown = await res.json();
  if (!Array.isArray(body)) throw new Error(`GET /societies: ${res.status} ${JSON.stringify(body)}`);
  return body.length;
};

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

const login = async (origin: string): Promise<string> => {
  const res = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ROOT.email, password: ROOT.password }),
  });
  const body = (await res.json()) as { token?: string };
  if (!body.token) throw new Error(`login: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
};

export const viaApi = async (url: string, config: PointConfig, say: (line: string) => void) => {
  const { events, oldestSociety } = await countEvents(url);
  say(`  ${events} events: starting a fresh API, catching up from zero…`);
  const api = await startApi(url);
  try {
    const { origin } = api;
    const catchUp = { listeningSeconds: api.listeningSeconds, readySeconds: api.readySeconds };
    say(`  /ready 200 after ${catchUp.readySeconds.toFixed(1)} s; seeding one society through the API…`);
    const seededFrom = new Date();
    const seeded = await seed(
      origin,
      { email: ROOT.email, password: ROOT.password },
      { societies: 1, members: config.members, payers: 0, weeks: config.weeks },
    );
    const s0 = seeded.societies[0]!;
    const vacuumSeconds = await vacuum(url);
    say(`  VACUUM (ANALYZE) ${vacuumSeconds.toFixed(1)} s`);
    const reads: Record<string, Latency> = {};
    for (const [name, path, token] of [
      // One SELECT 1 on the API's pool (projectServer.ts): the machine's load at this point.
      ['baseline: GET /bench/select-1', '/bench/select-1', undefined],
      ['GET /events?society_id', `/api/v1/events?society_id=${s0.id}`, s0.member.token],
      ['GET /events/{id}', `/api/v1/events/${s0.classIds[0]}`, s0.member.token],
      ['GET /members/{id}/bookings', `/api/v1/members/${s0.member.id}/bookings`, s0.member.token],
      ['GET /societies', '/api/v1/societies', undefined],
      // The same page size at every point (the default page holds up to 50 of a growing list).
      [SOCIETIES_SAME_PAGE, `/api/v1/societies?limit=${SAME_PAGE}`, undefined],
    ] as const) {
      const row = await readRow(origin, path, token, config.seconds, config.connections);
      reads[name] = { p50: row.p50, p99: row.p99, rps: row.rps, non2xx: nonOk(row.statuses) };
      say(`  ${name}: p50 ${row.p50} ms, p99 ${row.p99} ms`);
    }
    const onPage = await societiesOnPage(origin);
    const rootToken = await login(origin);
    const filters: Record<string, AuditTrailFilter> = {
      // The seeded society: few events, all at the head of the log.
      'society (newest)': { societyId: s0.id },
      ...(oldestSociety ? { 'society (oldest)': { societyId: oldestSociety } } : {}),
      'type (PaymentCompleted)': { types: ['PaymentCompleted'] },
      // What the seeding above recorded: a narrow window at the head of the log.
      'time (since the seeding)': { from: seededFrom },
      'first page, no filter': {},
    };
    const audit = await measureFilters(filters, auditOverHttp(origin, rootToken), config.samples);
    say(
      `  audit: ${Object.entries(audit)
        .map(([n, f]) => `${n} p99 ${f.p99.toFixed(1)} ms`)
        .join('; ')}`,
    );
    const booked: Booked[] = [];
    const row = await bookRow(origin, seeded.bookings.slice(0, config.bookings), config.connections, booked);
    const booking = {
      p50: row.p50,
      p99: row.p99,
      rps: row.rps,
      non2xx: row.non2xx,
      requests: row.requests,
      wallSeconds: row.seconds,
    };
    say(
      `  POST /bookings: ${row.requests} in ${row.seconds.toFixed(2)} s, p50 ${row.p50} ms, p99 ${row.p99} ms`,
    );
    const rss = api.rss();
    const { peakRss } = await api.stop();
    return {
      events,
      catchUp,
      vacuumSeconds,
      societiesOnPage: onPage,
      reads,
      audit,
      booking,
      // The exit report (getrusage) and /proc count pages a little differently: the larger is the peak.
      api: { rssBytes: rss?.now ?? null, peakRssBytes: maxOf(peakRss, rss?.now, rss?.peak) },
    };
  } finally {
    await api.stop();
  }
};

const maxOf = (...values: (number | null | undefined)[]): number | null => {
  const known = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return known.length > 0 ? Math.max(...known) : null;
};

const nonOk = (statuses: Record<string, number>) =>
  Object.entries(statuses).reduce((n, [code, count]) => (code.startsWith('2') ? n : n + count), 0);

const viaCli = async (url: string, say: (line: string) => void) => {
  const { events } = await countEvents(url);
  const startup = await runCli(url, ['migrate']);
  say(`  ${events} events: cli rebuild…`);
  const rebuild = await runCli(url, ['rebuild']);
  say(
    `  rebuild ${rebuild.seconds.toFixed(1)} s (cli start-up ${startup.seconds.toFixed(1)} s); cli verify-chain…`,
  );
  const verify = await runCli(url, ['verify-chain', '--from-start']);
  const report = JSON.parse(verify.stdout.slice(verify.stdout.indexOf('{'))) as {
    ok?: boolean;
    eventsChecked?: number;
  };
  return {
    eventsAtRebuild: events,
    cliStartupSeconds: startup.seconds,
    rebuild: { seconds: rebuild.seconds, peakRssBytes: rebuild.peakRss },
    verification: {
      seconds: verify.seconds,
      peakRssBytes: verify.peakRss,
      ok: report.ok === true,
      eventsChecked: report.eventsChecked ?? null,
    },
  };
};

export const measurePoint = async (
  url: string,
  config: PointConfig,
  say: (line: string) => void,
): Promise<PointFigures> => ({ ...(await viaApi(url, config, say)), ...(await viaCli(url, say)) });
