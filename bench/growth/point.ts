import { seed } from '../api/seed';
import type { FilterFigures } from '../audit/measureFilters';
import { ROOT } from './log';
import { runCli, startApi, type ApiProcess } from './processes';
import { withClient } from '../support/pgClient';

/**
 * One copy of the log (a "point") as bench:growth measures it:
 * 1. catch-up: a fresh API process on read models that are empty, until GET /ready answers 200;
 * 2. through that API: one small society seeded by bench:api's seed (the same at every point, so
 *    the loads compare like with like);
 * 3. `VACUUM (ANALYZE)` of the point's database (timed): the catch-up has just written every
 *    read model, and autovacuum working through 1M fresh rows while the loads run would land in one
 *    point's p99s and not the other's; each point measures a settled service;
 * 4. the loads (pointLoads.ts), in rounds alternated with the other point's API (index.ts);
 * 5. the API's RSS, then, with the API stopped, `cli rebuild` (every read model from zero) and
 *    `cli verify-chain --from-start` (the whole hash chain), each timed less the CLI's own
 *    start-up (`cli migrate` on the same database: start services, nothing to do, close).
 */
export interface PointConfig {
  seconds: number;
  connections: number;
  bookings: number;
  samples: number;
  members: number;
  weeks: number;
  /** Rounds of the loads, alternated between the points; bookings and samples split over them. */
  rounds: number;
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
  // 60 made each audit p99 the slowest call of the 60 (one hiccup decided the row); 300 a round
  // makes it the third slowest.
  samples: env('BENCH_SAMPLES', 900),
  members: env('BENCH_MEMBERS', 20),
  weeks: env('BENCH_WEEKS', 4),
  rounds: env('BENCH_GROWTH_ROUNDS', 3),
});

export interface Latency {
  p50: number;
  p99: number;
  rps?: number;
  non2xx?: number;
}

export type BookingLatency = Latency & { requests: number; wallSeconds: number };

/** One round of the loads on one point (pointLoads.ts). */
export interface RoundFigures {
  reads: Record<string, Latency>;
  audit: Record<string, FilterFigures>;
  booking: BookingLatency;
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
  rounds: RoundFigures[];
  api: { rssBytes: number | null; peakRssBytes: number | null };
  cliStartupSeconds: number;
  rebuild: { seconds: number; peakRssBytes: number | null };
  verification: { seconds: number; peakRssBytes: number | null; ok: boolean; eventsChecked: number | null };
}

/** A point whose API is up, caught up and seeded: what the loads need. */
export interface OpenPoint {
  readonly url: string;
  readonly api: ApiProcess;
  readonly events: number;
  readonly oldestSociety: string | null;
  readonly catchUp: { listeningSeconds: number; readySeconds: number };
  readonly vacuumSeconds: number;
  readonly societiesOnPage: number;
  readonly seeded: Awaited<ReturnType<typeof seed>>;
  readonly seededFrom: Date;
  readonly rootToken: string;
}

const countEvents = (url: string) =>
  withClient(url, async (client) => {
    const n = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
    const oldest = await client.query<{ id: string }>(
      `SELECT data->>'societyId' AS id FROM events WHERE type = 'SocietyRegistered'
        ORDER BY transaction_id, global_position LIMIT 1`,
    );
    return { events: Number(n.rows[0]!.n), oldestSociety: oldest.rows[0]?.id ?? null };
  });

/** Seconds to VACUUM (ANALYZE) the whole database. */
const vacuum = (url: string) =>
  withClient(url, async (client) => {
    const t0 = performance.now();
    await client.query('VACUUM (ANALYZE)');
    return (performance.now() - t0) / 1000;
  });

/** How many societies an anonymous GET /societies answers with (its default page). */
const societiesOnPage = async (origin: string): Promise<number> => {
  const res = await fetch(`${origin}/api/v1/societies`);
  const body: unknown = await res.json();
  if (!Array.isArray(body)) throw new Error(`GET /societies: ${res.status} ${JSON.stringify(body)}`);
  return body.length;
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

/** Steps 1–3: the API started on `url`, caught up, a society seeded, the database vacuumed. */
export const openPoint = async (
  url: string,
  config: PointConfig,
  say: (line: string) => void,
): Promise<OpenPoint> => {
  const { events, oldestSociety } = await countEvents(url);
  say(`  ${events} events: starting a fresh API, catching up from zero…`);
  const api = await startApi(url);
  try {
    const catchUp = { listeningSeconds: api.listeningSeconds, readySeconds: api.readySeconds };
    say(`  /ready 200 after ${catchUp.readySeconds.toFixed(1)} s; seeding one society through the API…`);
    const seededFrom = new Date();
    const seeded = await seed(
      api.origin,
      { email: ROOT.email, password: ROOT.password },
      { societies: 1, members: config.members, payers: 0, weeks: config.weeks },
    );
    const vacuumSeconds = await vacuum(url);
    say(`  VACUUM (ANALYZE) ${vacuumSeconds.toFixed(1)} s`);
    return {
      url,
      api,
      events,
      oldestSociety,
      catchUp,
      vacuumSeconds,
      societiesOnPage: await societiesOnPage(api.origin),
      seeded,
      seededFrom,
      rootToken: await login(api.origin),
    };
  } catch (error) {
    await api.stop();
    throw error;
  }
};

const maxOf = (...values: (number | null | undefined)[]): number | null => {
  const known = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return known.length > 0 ? Math.max(...known) : null;
};

/** The API's memory, then the API stopped. */
export const closePoint = async (point: OpenPoint): Promise<PointFigures['api']> => {
  const rss = point.api.rss();
  const { peakRss } = await point.api.stop();
  // The exit report (getrusage) and /proc count pages a little differently: the larger is the peak.
  return { rssBytes: rss?.now ?? null, peakRssBytes: maxOf(peakRss, rss?.now, rss?.peak) };
};

/** Step 5's CLI part, on a point whose API is stopped. */
export const viaCli = async (url: string, say: (line: string) => void) => {
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
