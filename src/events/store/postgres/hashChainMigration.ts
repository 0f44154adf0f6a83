import type { Knex } from 'knex';
import { chainHash, contentDigest, GENESIS_HASH } from '../hashChain';

/**
 * Part of migration 0009_audit: a `hash` on every event, chained along its stream (see
 * ../hashChain.ts), computed inside append_to_stream while the stream's row is locked, so two
 * writers can never chain to the same predecessor. Events stored before this migration are
 * hashed here once, in stream order.
 */
export const hashChainMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`ALTER TABLE events ADD COLUMN hash text`);
    await backfillHashes(knex);
    await knex.raw(`DROP FUNCTION append_to_stream(text, text, uuid[], text[], jsonb[], jsonb[])`);
    await knex.raw(chainedAppendToStreamFunction);
  },
  async down(knex) {
    await knex.raw(`DROP FUNCTION append_to_stream(text, text, uuid[], text[], jsonb[], jsonb[], text[])`);
    await knex.raw(`ALTER TABLE events DROP COLUMN hash`);
  },
};

interface LegacyRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_position: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

const backfillHashes = async (knex: Knex): Promise<void> => {
  const { rows } = await knex.raw<{ rows: LegacyRow[] }>(
    `SELECT global_position, transaction_id::text AS transaction_id, stream_id, stream_position, event_id,
            type, data, metadata
       FROM events ORDER BY stream_id, stream_position`,
  );
  if (rows.length === 0) return;
  // The immutability trigger guards events from everyone else; this one rewrite is the migration's.
  await knex.raw(`ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete`);
  let previous = GENESIS_HASH;
  let stream = '';
  for (const row of rows) {
    if (row.stream_id !== stream) [stream, previous] = [row.stream_id, GENESIS_HASH];
    const digest = contentDigest({
      streamId: row.stream_id,
      id: row.event_id,
      type: row.type,
      data: row.data,
      metadata: row.metadata,
    });
    previous = chainHash(previous, Number(row.stream_position), digest);
    await knex.raw(`UPDATE events SET hash = ? WHERE transaction_id = ?::xid8 AND global_position = ?`, [
      previous,
      row.transaction_id,
      row.global_position,
    ]);
  }
  await knex.raw(`ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete`);
};

/**
 * append_to_stream of 0001 plus `p_digests` (one content digest per event, from hashChain.ts)
 * and the chaining: hash = sha256(previous : revision : digest), the previous being the stream's
 * last event, read under the row lock the compare-and-set on `streams` just took.
 */
const chainedAppendToStreamFunction = `
CREATE FUNCTION append_to_stream(
  p_stream_id text,
  p_expected  text,       -- 'any' | 'no_stream' | 'stream_exists' | a revision
  p_event_ids uuid[],
  p_types     text[],
  p_data      jsonb[],
  p_metadata  jsonb[],
  p_digests   text[]
) RETURNS TABLE (outcome text, last_revision bigint, transaction_id xid8, global_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  n          bigint := cardinality(p_event_ids);
  v_last     bigint;
  v_first_at bigint;
  v_previous text;
  v_hashes   text[] := '{}';
BEGIN
  IF p_expected = 'any' THEN
    INSERT INTO streams AS s (stream_id, stream_position) VALUES (p_stream_id, n - 1)
      ON CONFLICT (stream_id) DO UPDATE SET stream_position = s.stream_position + n
      RETURNING s.stream_position INTO v_last;
  ELSIF p_expected = 'no_stream' THEN
    INSERT INTO streams (stream_id, stream_position) VALUES (p_stream_id, n - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING streams.stream_position INTO v_last;
  ELSIF p_expected = 'stream_exists' THEN
    UPDATE streams s SET stream_position = s.stream_position + n
     WHERE s.stream_id = p_stream_id
     RETURNING s.stream_position INTO v_last;
  ELSE
    UPDATE streams s SET stream_position = s.stream_position + n
     WHERE s.stream_id = p_stream_id AND s.stream_position = p_expected::bigint
     RETURNING s.stream_position INTO v_last;
  END IF;

  IF v_last IS NULL THEN
    -- Refused. A retry of an append that already succeeded answers with the original outcome.
    SELECT e.stream_position INTO v_first_at FROM events e
     WHERE e.event_id = p_event_ids[1] AND e.stream_id = p_stream_id;
    IF FOUND AND (
      SELECT array_agg(e.event_id ORDER BY e.stream_position) FROM events e
       WHERE e.stream_id = p_stream_id AND e.stream_position BETWEEN v_first_at AND v_first_at + n - 1
    ) = p_event_ids THEN
      RETURN QUERY SELECT 'duplicate'::text, e.stream_position, e.transaction_id, e.global_position
        FROM events e WHERE e.stream_id = p_stream_id AND e.stream_position = v_first_at + n - 1;
      RETURN;
    END IF;
    RETURN QUERY SELECT 'conflict'::text,
      (SELECT s.stream_position FROM streams s WHERE s.stream_id = p_stream_id), NULL::xid8, NULL::bigint;
    RETURN;
  END IF;

  v_previous := '${GENESIS_HASH}';
  IF v_last - n >= 0 THEN
    SELECT e.hash INTO v_previous FROM events e
     WHERE e.stream_id = p_stream_id AND e.stream_position = v_last - n;
  END IF;
  FOR i IN 1..n LOOP
    v_previous := encode(sha256(convert_to(
      v_previous || ':' || (v_last - n + i)::text || ':' || p_digests[i], 'UTF8')), 'hex');
    v_hashes := v_hashes || v_previous;
  END LOOP;

  -- A retry under 'any' passes the compare-and-set and fails here on events_event_id_unique;
  -- the adapter then looks the original up (FIND_RETRIED_APPEND).
  RETURN QUERY
  WITH inserted AS (
    INSERT INTO events (stream_id, stream_position, event_id, type, data, metadata, hash)
    SELECT p_stream_id, v_last - n + u.i, u.event_id, u.type, u.data, u.metadata, u.hash
      FROM unnest(p_event_ids, p_types, p_data, p_metadata, v_hashes)
           WITH ORDINALITY AS u(event_id, type, data, metadata, hash, i)
    RETURNING events.global_position
  )
  SELECT 'appended'::text, v_last, pg_current_xact_id(), max(inserted.global_position) FROM inserted;
END $$;
`;
