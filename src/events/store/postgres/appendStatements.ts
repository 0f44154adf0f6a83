import type { NewEvent } from '../eventStore';
import { EventStoreUnavailableError } from '../errors';
import type { BatchAnswers } from '../microBatcher';
import { APPEND_TO_STREAM, APPEND_TO_STREAMS } from './sql/appendToStream';
import { FIND_RETRIED_APPEND } from './sql/findRetriedAppend';
import type { StoreQuery } from './eventRow';
import { positional, type AppendRow, type PendingAppend } from './pendingAppend';

/**
 * A retried append's original outcome, if its event ids are this stream's events in order: what a
 * retry under 'any' (or two copies of one append racing) answers instead of the unique-index error.
 */
export const findRetriedAppend = async (
  query: StoreQuery,
  streamId: string,
  events: readonly NewEvent[],
): Promise<AppendRow | undefined> => {
  const rows = await query<{
    event_id: string;
    stream_position: string;
    commit_position: string;
    global_position: string;
  }>(FIND_RETRIED_APPEND, [streamId, events.map((e) => e.id)]);
  const inOrder = rows.every(
    (r, i) =>
      r.event_id === events[i]?.id &&
      (i === 0 || Number(r.stream_position) === Number(rows[i - 1]!.stream_position) + 1),
  );
  if (rows.length !== events.length || !inOrder) return undefined;
  const last = rows[rows.length - 1]!;
  return {
    outcome: 'duplicate',
    last_revision: last.stream_position,
    transaction_id: last.commit_position,
    global_position: last.global_position,
  };
};

export const appendOnce = async (query: StoreQuery, request: PendingAppend): Promise<AppendRow> => {
  const [row] = await query<AppendRow>(APPEND_TO_STREAM, positional(request));
  return row!;
};

/** Byte order, like PostgreSQL's "C" collation: a stable lock order whatever the locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Appends that arrived together, in one statement (APPEND_TO_STREAMS), each decided on its own.
 * If the statement fails as a whole (a retried append hitting the event-id index, a deadlock
 * with another process) it wrote nothing, so each append is then sent alone to get its own
 * answer; only a lost connection is everyone's answer.
 */
export const appendMany = async (
  query: StoreQuery,
  batch: readonly PendingAppend[],
): Promise<BatchAnswers<AppendRow>> => {
  const each = () =>
    Promise.all(
      batch.map((a) =>
        appendOnce(query, a).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      ),
    );
  if (batch.length === 1) return each();
  const order = batch.map((_, i) => i).sort((a, b) => compareText(batch[a]!.streamId, batch[b]!.streamId));
  const document = order.map((i) => {
    const a = batch[i]!;
    // data and metadata are JSON text already: spliced in, not parsed and written again.
    return `{"stream":${JSON.stringify(a.streamId)},"expected":${JSON.stringify(a.expected)},"ids":${JSON.stringify(a.ids)},"types":${JSON.stringify(a.types)},"data":[${a.data.join(',')}],"metadata":[${a.metadata.join(',')}],"digests":${JSON.stringify(a.digests)}}`;
  });
  let rows: Array<AppendRow & { ord: string }>;
  try {
    rows = await query(APPEND_TO_STREAMS, [`[${document.join(',')}]`]);
  } catch (error) {
    if (error instanceof EventStoreUnavailableError) throw error;
    return each();
  }
  const answers: Array<{ ok: true; value: AppendRow }> = new Array(batch.length);
  for (const row of rows) answers[order[Number(row.ord) - 1]!] = { ok: true, value: row };
  return answers;
};
