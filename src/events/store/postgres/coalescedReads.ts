import type { RecordedEvent } from '../eventStore';
import type { Position } from '../position';
import type { BatchAnswers } from '../microBatcher';
import { READ_ALL, READ_STREAMS, READ_STREAM_FORWARDS } from './sql/readStream';
import { toRecorded, type EventRow, type StoreQuery } from './eventRow';

/** xid8 has no negative values; START reads as "before transaction 0". */
const positionParams = (p: Position): [string, string] => [
  (p.commit < 0n ? 0n : p.commit).toString(),
  (p.prepare < 0n ? 0n : p.prepare).toString(),
];

/** Whole streams read together (READ_STREAMS): one query, split by stream. */
export const readStreamsTogether = async (
  query: StoreQuery,
  streamIds: readonly string[],
): Promise<BatchAnswers<RecordedEvent[]>> => {
  const unique = [...new Set(streamIds)];
  const rows =
    unique.length === 1
      ? await query<EventRow>(READ_STREAM_FORWARDS, [unique[0], 0, 2 ** 31 - 1])
      : await query<EventRow>(READ_STREAMS, [unique]);
  const byStream = new Map<string, RecordedEvent[]>();
  for (const row of rows) {
    const events = byStream.get(row.stream_id);
    if (events) events.push(toRecorded(row));
    else byStream.set(row.stream_id, [toRecorded(row)]);
  }
  // Each caller gets its own array (two callers may ask for one stream in the same batch).
  const given = new Set<string>();
  return streamIds.map((id) => {
    const events = byStream.get(id) ?? [];
    const value = given.has(id) ? [...events] : events;
    given.add(id);
    return { ok: true as const, value };
  });
};

/** One page of `$all` after a position. */
export const readPage = async (
  query: StoreQuery,
  after: Position,
  maxCount: number,
): Promise<RecordedEvent[]> => {
  return (await query<EventRow>(READ_ALL, [...positionParams(after), maxCount])).map(toRecorded);
};

/**
 * Identical page reads asked together are read once. Why: every read model follows `$all` on
 * its own, and once caught up they all ask for the page after the same head, at each append.
 */
export const readPagesOnce = async (
  query: StoreQuery,
  asks: readonly { after: Position; maxCount: number }[],
): Promise<BatchAnswers<RecordedEvent[]>> => {
  const pages = new Map<string, Promise<RecordedEvent[]>>();
  return Promise.all(
    asks.map(async ({ after, maxCount }) => {
      const key = `${after.commit}/${after.prepare}/${maxCount}`;
      const shared = pages.get(key);
      const page = shared ?? readPage(query, after, maxCount);
      if (!shared) pages.set(key, page);
      try {
        // Each caller its own array; the events themselves are never changed by readers.
        return { ok: true as const, value: shared ? [...(await page)] : await page };
      } catch (error) {
        return { ok: false as const, error };
      }
    }),
  );
};
