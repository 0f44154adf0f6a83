/** The events of an earlier append with these ids, in stream order (see append_to_stream). */
export const FIND_RETRIED_APPEND = `SELECT event_id, stream_position, transaction_id::text AS commit_position, global_position
  FROM events WHERE stream_id = $1 AND event_id = ANY($2::uuid[]) ORDER BY stream_position`;
