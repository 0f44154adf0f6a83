import type { Knex } from 'knex';

/**
 * `append_to_stream_groups`: several groups of appends in one statement (EventStore.appendToStreams,
 * coalesced like single appends). Each element is append_to_stream as ever, in the given order, so
 * the events stand in `$all` in that order. A group of one answers 'conflict' like a single append;
 * a group of several is all or nothing, so a stream in it not as expected raises ARC01 (stream and
 * actual revision in DETAIL) and the whole statement writes nothing; the adapter then sends each
 * group of the batch on its own to learn whose it was.
 *
 * The existing `streams` rows of the whole batch are locked first in byte order: whatever order
 * the groups name their streams in (a decision first, what follows from it after), two batches
 * take those locks in one order and cannot deadlock on them.
 */
export const streamGroupsMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(appendToStreamGroupsFunction);
  },
  async down(knex) {
    await knex.raw('DROP FUNCTION append_to_stream_groups(jsonb)');
  },
};

const appendToStreamGroupsFunction = `
CREATE FUNCTION append_to_stream_groups(p_groups jsonb)
RETURNS TABLE (grp bigint, ord bigint, outcome text, last_revision bigint, transaction_id xid8, global_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_group jsonb;
  v_append jsonb;
  v_atomic boolean;
  r record;
BEGIN
  PERFORM 1 FROM streams s
   WHERE s.stream_id IN (
     SELECT a.value->>'stream' FROM jsonb_array_elements(p_groups) g, jsonb_array_elements(g.value) a)
   ORDER BY s.stream_id COLLATE "C"
   FOR UPDATE;

  FOR v_group, grp IN SELECT g.value, g.i FROM jsonb_array_elements(p_groups) WITH ORDINALITY AS g(value, i) ORDER BY g.i LOOP
    v_atomic := jsonb_array_length(v_group) > 1;
    FOR v_append, ord IN SELECT a.value, a.i FROM jsonb_array_elements(v_group) WITH ORDINALITY AS a(value, i) ORDER BY a.i LOOP
      SELECT * INTO r FROM append_to_stream(
        v_append->>'stream',
        v_append->>'expected',
        ARRAY(SELECT x::uuid FROM jsonb_array_elements_text(v_append->'ids') WITH ORDINALITY AS t(x, i) ORDER BY t.i),
        ARRAY(SELECT x FROM jsonb_array_elements_text(v_append->'types') WITH ORDINALITY AS t(x, i) ORDER BY t.i),
        ARRAY(SELECT x FROM jsonb_array_elements(v_append->'data') WITH ORDINALITY AS t(x, i) ORDER BY t.i),
        ARRAY(SELECT x FROM jsonb_array_elements(v_append->'metadata') WITH ORDINALITY AS t(x, i) ORDER BY t.i),
        ARRAY(SELECT x FROM jsonb_array_elements_text(v_append->'digests') WITH ORDINALITY AS t(x, i) ORDER BY t.i));
      IF r.outcome = 'conflict' AND v_atomic THEN
        RAISE EXCEPTION 'wrong expected revision in a group of appends' USING
          ERRCODE = 'ARC01',
          DETAIL = jsonb_build_object('stream', v_append->>'stream', 'actual', r.last_revision)::text;
      END IF;
      outcome := r.outcome;
      last_revision := r.last_revision;
      transaction_id := r.transaction_id;
      global_position := r.global_position;
      RETURN NEXT;
    END LOOP;
  END LOOP;
END $$;
`;
