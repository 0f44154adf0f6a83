export const APPEND_TO_STREAM = `SELECT outcome, last_revision, transaction_id::text AS transaction_id, global_position
  FROM append_to_stream($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[])`;

const ordered = (field: string, cast = '') =>
  `ARRAY(SELECT x${cast} FROM jsonb_array_elements${cast === '' ? '' : '_text'}(b.a->'${field}') WITH ORDINALITY AS t(x, i) ORDER BY i)`;

/**
 * Several appends, each to its own stream and decided on its own (an 'appended', 'duplicate' or
 * 'conflict' row each, by `ord`), in one statement and one transaction: append_to_stream once per
 * element of a JSON array, in array order. The adapter sorts the array by stream id, so two such
 * batches lock `streams` rows in the same order and cannot deadlock each other.
 */
export const APPEND_TO_STREAMS = `SELECT b.ord, r.outcome, r.last_revision, r.transaction_id::text AS transaction_id, r.global_position
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS b(a, ord)
  CROSS JOIN LATERAL append_to_stream(
    b.a->>'stream', b.a->>'expected',
    ${ordered('ids', '::uuid')}, ${ordered('types', '::text')},
    ${ordered('data')}, ${ordered('metadata')}, ${ordered('digests', '::text')}) AS r
  ORDER BY b.ord`;

/**
 * Groups of appends (EventStore.appendToStreams, and single appends coalesced beside them) in one
 * statement: a row per append, by group `grp` and place `ord`. See streamGroupsMigration.ts.
 */
export const APPEND_TO_STREAM_GROUPS = `SELECT grp, ord, outcome, last_revision, transaction_id::text AS transaction_id, global_position
  FROM append_to_stream_groups($1::jsonb)`;
