import { VISIBLE_BELOW } from '../appendMarker';

// `commit_position`, not `transaction_id`: an output column named like the input would make
// ORDER BY sort the text ("999" after "1000") — the bug the projection crash test caught.
const COLUMNS = `global_position, transaction_id::text AS commit_position, stream_id, stream_position, event_id, type,
  data, metadata, created_at, hash`;

export const READ_STREAM_FORWARDS = `SELECT ${COLUMNS} FROM events
  WHERE stream_id = $1 AND stream_position >= $2 ORDER BY stream_position LIMIT $3`;

export const READ_STREAM_BACKWARDS = `SELECT ${COLUMNS} FROM events
  WHERE stream_id = $1 AND stream_position <= $2 ORDER BY stream_position DESC LIMIT $3`;

/**
 * Commit order, never skipping a slow writer: only transactions older than the oldest append
 * still running are visible (appendMarker.ts), so an event that commits late cannot land behind
 * a reader's checkpoint.
 */
export const READ_ALL = `SELECT ${COLUMNS} FROM events
  WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
    AND transaction_id < ${VISIBLE_BELOW}
  ORDER BY transaction_id, global_position LIMIT $3`;

export const HEAD_POSITION = `SELECT transaction_id::text AS commit_position, global_position FROM events
  WHERE transaction_id < ${VISIBLE_BELOW}
  ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;

/**
 * The newest committed event, whether or not an older transaction still hides it from readers:
 * every position an append answered with is at or below it. One backward step on the primary key.
 */
export const NEWEST_POSITION = `SELECT transaction_id::text AS commit_position, global_position FROM events
  ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;

/** Several whole streams in one round trip (coalesced reads: see microBatcher.ts). */
export const READ_STREAMS = `SELECT ${COLUMNS} FROM events
  WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_position`;
