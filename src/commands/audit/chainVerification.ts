import type { Knex } from 'knex';
import type { EventStore } from '../../events/store/eventStore';
import { formatPosition, parsePosition, START, type Position } from '../../events/store/position';
import { heapBound, type HeapBoundSettings } from '../../events/store/heapBound';
import { HashChainWalker, type BrokenLink, type StreamTip } from './hashChainWalker';

/** Events per saved step: one transaction of findings and tips. */
const PAGE = 5000;
/**
 * Events per read of `$all`, smaller than a page. Why: a read's events must die young. A page read
 * whole (5,000 events, ~10 MB parsed) outlived V8's young generation while it was hashed, so every
 * page was promoted and the old generation grew until V8 next compacted it (peak RSS rose with the
 * log: 167 MB at 12k events, 321 MB at 300k, 327 MB at 1M, with ~25 MB live throughout).
 */
const READ = 500;
/**
 * A heap bound for a process that runs the walk alone (`cli verify-chain`): the walk keeps little
 * (tips of one page, ~25 MB live in the CLI), so 64 MB of heap is room enough. Not for the
 * scheduled jobs: they share the API's (or worker's) event loop with requests, which must not wait
 * on a forced full collection (~50 ms).
 */
export const ALONE_HEAP_BOUND_BYTES = 64 * 1024 * 1024;

/** The stored outcome of hash-chain verification, as far as it has walked. */
export interface ChainVerificationStatus {
  /** The `$all` position every event up to which has been checked (START: none yet). */
  readonly verifiedThrough: Position;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  /** The first broken link of each broken stream, in `$all` order. */
  readonly brokenLinks: readonly BrokenLink[];
  /** sha256 over every stream's last hash as of `verifiedThrough` (see hashChainWalker.ts). */
  readonly headDigest: string | null;
  readonly startedAt: Date | null;
  readonly updatedAt: Date | null;
  /** Set when the walk reached the head it set out for; null while it is under way. */
  readonly finishedAt: Date | null;
}

interface ProgressRow {
  verified_through: string;
  events_checked: string;
  broken_links: BrokenLink[];
  head_digest: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const loadTips = async (knex: Knex, streamIds: readonly string[]): Promise<Map<string, StreamTip>> => {
  const rows = await knex('hash_chain_tips')
    .whereIn('stream_id', streamIds)
    .select<{ stream_id: string; revision: string; hash: string; broken: boolean }[]>();
  return new Map(
    rows.map((r) => [r.stream_id, { revision: Number(r.revision), hash: r.hash, broken: r.broken }]),
  );
};

/** One page's walk: what it found, the tips it moved, how far it got. */
interface WalkedPage {
  readonly events: number;
  readonly through: Position;
  readonly found: BrokenLink[];
  readonly tips: ReadonlyMap<string, StreamTip>;
}

/**
 * Walks up to `pageSize` events after `after`, reading them `readSize` at a time: only the tips of
 * the streams met (loaded as the last page left them) outlive a read. Fewer than `pageSize`
 * events: the head was reached.
 */
const walkPage = async (
  store: EventStore,
  knex: Knex,
  after: Position,
  pageSize: number,
  readSize: number,
  /** Called after each read's events are walked (see the heap option). */
  afterRead: () => void,
): Promise<WalkedPage> => {
  const walker = new HashChainWalker();
  const found: BrokenLink[] = [];
  let through = after;
  let events = 0;
  while (events < pageSize) {
    const want = Math.min(readSize, pageSize - events);
    const read = await store.readAll({ after: through, maxCount: want });
    if (read.length === 0) break;
    const unknown = [...new Set(read.map((e) => e.streamId))].filter((id) => !walker.knows(id));
    if (unknown.length > 0) walker.resume(await loadTips(knex, unknown));
    for (const event of read) {
      const link = walker.observe(event);
      if (link) found.push(link);
    }
    events += read.length;
    through = read[read.length - 1]!.position;
    afterRead();
    if (read.length < want) break;
  }
  return { events, through, found, tips: walker.tipsNow() };
};

/** sha256 over `stream=hash` lines in stream order, computed where the tips are (bounded memory here). */
const headDigest = async (knex: Knex): Promise<string> => {
  const { rows } = await knex.raw<{ rows: { digest: string }[] }>(
    `SELECT encode(sha256(convert_to(coalesce(string_agg(stream_id || '=' || hash, E'\\n' ORDER BY stream_id COLLATE "C"), ''), 'UTF8')), 'hex') AS digest
       FROM hash_chain_tips`,
  );
  return rows[0]!.digest;
};

export const chainVerificationStatus = async (knex: Knex): Promise<ChainVerificationStatus> => {
  const row = await knex('hash_chain_verification').where({ id: 1 }).first<ProgressRow | undefined>();
  const tips = await knex('hash_chain_tips').count<{ count: string }[]>('* as count');
  return {
    verifiedThrough: row ? (parsePosition(row.verified_through) ?? START) : START,
    eventsChecked: Number(row?.events_checked ?? 0),
    streamsChecked: Number(tips[0]?.count ?? 0),
    brokenLinks: row?.broken_links ?? [],
    headDigest: row?.head_digest ?? null,
    startedAt: row?.started_at ?? null,
    updatedAt: row?.updated_at ?? null,
    finishedAt: row?.finished_at ?? null,
  };
};

/**
 * Checks every stream's hash chain from where the last run stopped up to the store's head, one
 * page of `$all` at a time: each page's findings, the tips it moved and the new position are
 * saved in one transaction, so a run stopped or killed anywhere resumes without re-reading or
 * skipping an event. Never holds a request: the `hash_chain_verification` job and the CLI run it.
 */
export const continueChainVerification = async (
  store: EventStore,
  knex: Knex,
  options: {
    /** Forget what earlier runs checked and walk the whole log again (finds rewrites of old events). */
    fromStart?: boolean;
    /** Events per page (each page is one transaction of findings and tips). */
    pageSize?: number;
    /** Events per read of `$all` within a page (see READ). */
    readSize?: number;
    /**
     * Garbage the heap may hold before the walk collects it between reads; default none (V8's own
     * pace). Why a process running the walk alone sets one: reads of READ events mostly die young,
     * but not always (two runs over one 300k log peaked at 188 and 290 MB).
     */
    heap?: HeapBoundSettings;
    signal?: AbortSignal;
    onProgress?: (eventsChecked: number) => void;
  } = {},
): Promise<ChainVerificationStatus> => {
  if (options.fromStart) {
    await knex.transaction(async (trx) => {
      await trx('hash_chain_tips').delete();
      await trx('hash_chain_verification').delete();
    });
  }
  const before = await chainVerificationStatus(knex);
  let after = before.verifiedThrough;
  let checked = before.eventsChecked;
  const startedAt = before.finishedAt || !before.startedAt ? new Date() : before.startedAt;
  const pageSize = options.pageSize ?? PAGE;
  const readSize = Math.min(options.readSize ?? READ, pageSize);
  const collectIfOverBound = heapBound(options.heap ?? { boundBytes: 0 });
  for (;;) {
    if (options.signal?.aborted) return chainVerificationStatus(knex);
    const page = await walkPage(store, knex, after, pageSize, readSize, collectIfOverBound);
    if (page.events === 0) break;
    after = page.through;
    checked += page.events;
    const tips = [...page.tips].map(([stream_id, tip]) => ({ stream_id, ...tip }));
    await knex.transaction(async (trx) => {
      await trx('hash_chain_tips').insert(tips).onConflict('stream_id').merge();
      await trx.raw(
        `INSERT INTO hash_chain_verification AS v (id, verified_through, events_checked, broken_links, started_at, updated_at)
         VALUES (1, ?, ?, ?::jsonb, ?, now())
         ON CONFLICT (id) DO UPDATE SET verified_through = EXCLUDED.verified_through,
           events_checked = EXCLUDED.events_checked, broken_links = v.broken_links || EXCLUDED.broken_links,
           started_at = EXCLUDED.started_at, updated_at = now(), finished_at = NULL`,
        [formatPosition(after), checked, JSON.stringify(page.found), startedAt],
      );
    });
    options.onProgress?.(checked);
    if (page.events < pageSize) break;
  }
  await knex.raw(
    `INSERT INTO hash_chain_verification AS v
       (id, verified_through, events_checked, broken_links, head_digest, started_at, updated_at, finished_at)
     VALUES (1, ?, ?, '[]'::jsonb, ?, ?, now(), now())
     ON CONFLICT (id) DO UPDATE SET head_digest = EXCLUDED.head_digest, updated_at = now(), finished_at = now()`,
    [formatPosition(after), checked, await headDigest(knex), startedAt],
  );
  return chainVerificationStatus(knex);
};
