import type { Knex } from 'knex';

/**
 * The event store's tables (docs/architecture.md, "Event store port"). Migrations are never edited once
 * landed; a change is a new migration.
 */
export const eventStoreMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE streams (
        stream_id       text PRIMARY KEY,
        -- the revision of the stream's last event; compare-and-set on it decides every append
        stream_position bigint NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY,
        -- identities are handed out before commit, so $all is ordered by the writer's
        -- transaction id first and read only below the oldest transaction still running
        transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id       text NOT NULL,
        stream_position bigint NOT NULL,
        event_id        uuid NOT NULL,
        type            text NOT NULL,
        data            jsonb NOT NULL,
        metadata        jsonb NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        -- $all order is the key: one index serves readers and the write path pays for three, not four
        CONSTRAINT events_commit_order PRIMARY KEY (transaction_id, global_position),
        CONSTRAINT events_event_id_unique UNIQUE (event_id),
        CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_position)
      );

      CREATE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_are_immutable();
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_are_immutable();
    `);
    await knex.raw(appendToStreamFunction);
  },
  async down(knex) {
    await knex.raw(
      `DROP TABLE events; DROP TABLE streams; DROP FUNCTION append_to_stream; DROP FUNCTION events_are_immutable;`,
    );
  },
};

/**
 * One round trip per append: the compare-and-set on `streams` and the insert run inside this
 * function. A conflicting writer waits on the `streams` row lock and then finds the revision
 * moved, so it fails cleanly instead of tripping over a unique index. Only a refused append
 * pays for the retry check. No NOTIFY here: NOTIFY takes a cluster-wide lock held until commit
 * is durable, which made every append commit one at a time (bench/store measured 95% of 32
 * writers waiting on it); the adapter announces appends outside the transaction instead.
 */
const appendToStreamFunction = `
CREATE FUNCTION append_to_stream(
  p_stream_id text,
  p_expected  text,       -- 'any' | 'no_stream' | 'stream_exists' | a revision
  p_event_ids uuid[],
  p_types     text[],
  p_data      jsonb[],
  p_metadata  jsonb[]
) RETURNS TABLE (outcome text, last_revision bigint, transaction_id xid8, global_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  n          bigint := cardinality(p_event_ids);
  v_last     bigint;
  v_first_at bigint;
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

  -- A retry under 'any' passes the compare-and-set and fails here on events_event_id_unique;
  -- the adapter then looks the original up (FIND_RETRIED_APPEND).
  RETURN QUERY
  WITH inserted AS (
    INSERT INTO events (stream_id, stream_position, event_id, type, data, metadata)
    SELECT p_stream_id, v_last - n + u.i, u.event_id, u.type, u.data, u.metadata
      FROM unnest(p_event_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS u(event_id, type, data, metadata, i)
    RETURNING events.global_position
  )
  SELECT 'appended'::text, v_last, pg_current_xact_id(), max(inserted.global_position) FROM inserted;
END $$;
`;
