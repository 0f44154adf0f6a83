import type { Knex } from 'knex';
import { APPENDING_SETTING, APPEND_LOCK } from './appendMarker';

/**
 * Appending transactions mark themselves (appendMarker.ts): `append_to_stream` and
 * `append_to_stream_groups` become thin wrappers around the functions of 0001/0013/0014 (renamed
 * `*_unmarked`, unchanged) that first take the shared append lock and note it in a
 * transaction-local setting. The groups wrapper takes it before the body's `FOR UPDATE` gives the
 * transaction its id; `append_to_stream` takes it if nothing did yet, and refuses (ARC02) when the
 * transaction already wrote something unmarked: readers may have seen that transaction as one
 * that never appends and gone past it.
 */
export const appendMarkerMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`ALTER FUNCTION append_to_stream(${STREAM_ARGS}) RENAME TO append_to_stream_unmarked`);
    await knex.raw(
      `ALTER FUNCTION append_to_stream_groups(jsonb) RENAME TO append_to_stream_groups_unmarked`,
    );
    await knex.raw(markFunction);
    await knex.raw(appendToStreamWrapper);
    await knex.raw(appendToStreamGroupsWrapper);
  },
  async down(knex) {
    await knex.raw(`DROP FUNCTION append_to_stream_groups(jsonb)`);
    await knex.raw(`DROP FUNCTION append_to_stream(${STREAM_ARGS})`);
    await knex.raw(`DROP FUNCTION mark_appending_transaction()`);
    await knex.raw(
      `ALTER FUNCTION append_to_stream_groups_unmarked(jsonb) RENAME TO append_to_stream_groups`,
    );
    await knex.raw(`ALTER FUNCTION append_to_stream_unmarked(${STREAM_ARGS}) RENAME TO append_to_stream`);
  },
};

const STREAM_ARGS = 'text, text, uuid[], text[], jsonb[], jsonb[], text[]';

const markFunction = `
CREATE FUNCTION mark_appending_transaction() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('${APPENDING_SETTING}', true) IS NOT DISTINCT FROM 'on' THEN
    RETURN;
  END IF;
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'an append must come before any other write in its transaction' USING
      ERRCODE = 'ARC02',
      HINT = 'Readers of $all wait only for transactions marked as appending from their start.';
  END IF;
  PERFORM pg_advisory_xact_lock_shared(${APPEND_LOCK.classid}, ${APPEND_LOCK.objid});
  PERFORM set_config('${APPENDING_SETTING}', 'on', true);
END $$;
`;

const appendToStreamWrapper = `
CREATE FUNCTION append_to_stream(
  p_stream_id text, p_expected text, p_event_ids uuid[], p_types text[],
  p_data jsonb[], p_metadata jsonb[], p_digests text[]
) RETURNS TABLE (outcome text, last_revision bigint, transaction_id xid8, global_position bigint)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mark_appending_transaction();
  RETURN QUERY SELECT * FROM append_to_stream_unmarked(
    p_stream_id, p_expected, p_event_ids, p_types, p_data, p_metadata, p_digests);
END $$;
`;

const appendToStreamGroupsWrapper = `
CREATE FUNCTION append_to_stream_groups(p_groups jsonb)
RETURNS TABLE (grp bigint, ord bigint, outcome text, last_revision bigint, transaction_id xid8, global_position bigint)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mark_appending_transaction();
  RETURN QUERY SELECT * FROM append_to_stream_groups_unmarked(p_groups);
END $$;
`;
