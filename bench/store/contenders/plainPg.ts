import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { EVENT_TYPE, evolve, initialState, newEventData, newMetadata } from '../workload';
import { POOL_SIZE, type Contender } from './contender';

/**
 * Baseline (a): the same columns as our `events` table, written with one autocommit INSERT per
 * operation: no streams table, no revision check, no function, no NOTIFY. What PostgreSQL costs
 * before an event store adds anything. The (stream_id, position) index is there so reads are
 * indexed as ours are; it is not unique, so concurrent writers never conflict.
 */
const SCHEMA = `
  CREATE TABLE events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id       text NOT NULL,
    position        bigint NOT NULL,
    event_id        uuid NOT NULL UNIQUE,
    type            text NOT NULL,
    data            jsonb NOT NULL,
    metadata        jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX events_stream ON events (stream_id, position);`;

const INSERT = `INSERT INTO events (stream_id, position, event_id, type, data, metadata)
  VALUES ($1, $2, $3, $4, $5, $6)`;
const SEED = `INSERT INTO events (stream_id, position, event_id, type, data, metadata)
  SELECT $1, p - 1, gen_random_uuid(), $2, jsonb_set($3::jsonb, '{seat}', to_jsonb(p)), $4
    FROM generate_series(1, $5::int) AS p`;
const READ = `SELECT global_position, stream_id, position, event_id, type, data, metadata, created_at
  FROM events WHERE stream_id = $1 ORDER BY position`;

export const createPlainPg = async (url: string): Promise<Contender> => {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, application_name: 'bench-pg' });
  pool.on('error', () => undefined);
  await pool.query(SCHEMA);

  const insert = (streamId: string, position: number, seat: number) =>
    pool.query(INSERT, [
      streamId,
      position,
      randomUUID(),
      EVENT_TYPE,
      JSON.stringify(newEventData(seat)),
      JSON.stringify(newMetadata()),
    ]);

  return {
    name: 'pg',
    appendToNewStream: async (streamId) => {
      await insert(streamId, 0, 1);
    },
    seedStream: async (streamId, count) => {
      await pool.query(SEED, [
        streamId,
        EVENT_TYPE,
        JSON.stringify(newEventData(0)),
        JSON.stringify(newMetadata()),
        count,
      ]);
    },
    command: async (streamId) => {
      const { rows } = await pool.query<{ type: string; data: unknown }>(READ, [streamId]);
      const state = rows.reduce(evolve, initialState());
      await insert(streamId, rows.length, state.marked + 1);
    },
    close: () => pool.end(),
  };
};
