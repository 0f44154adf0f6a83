import pg from 'pg';
import { CommandHandler, STREAM_DOES_NOT_EXIST, type Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import {
  EVENT_TYPE,
  decide,
  evolve,
  initialState,
  newEventData,
  newMetadata,
  type AttendanceData,
  type AttendanceState,
} from '../workload';
import { POOL_SIZE, type Contender } from './contender';

type Attendance = Event<typeof EVENT_TYPE, AttendanceData, Record<string, unknown>>;

const toEmmett = (data: AttendanceData): Attendance => ({ type: EVENT_TYPE, data, metadata: newMetadata() });

/** Emmett's own conflict policy (3 retries, 100 ms then backing off), as an Emmett app would use it. */
const handle = CommandHandler<AttendanceState, Attendance>({ evolve, initialState });
const RETRY = { retry: { onVersionConflict: true } } as const;

/**
 * Emmett's store (through dumbo) replaces pg's global parsers for bigint, json and jsonb when it
 * is created. Hand those parsers to Emmett's own pool only and put the globals back, so each
 * contender decodes rows the way it was written to.
 */
const PARSED_BY_EMMETT = [20, 114, 3802];

export const createEmmett = async (url: string): Promise<Contender> => {
  const saved = PARSED_BY_EMMETT.map((oid) => [oid, pg.types.getTypeParser(oid, 'text')] as const);
  const emmettParsers = new Map<number, (value: string) => unknown>();
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    application_name: 'bench-emmett',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        emmettParsers.get(oid) ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => undefined);
  const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  for (const [oid, parser] of saved) {
    emmettParsers.set(oid, pg.types.getTypeParser(oid, 'text'));
    pg.types.setTypeParser(oid, 'text', parser);
  }
  // Warm-up: the schema is created now, not inside the first timed append.
  await store.schema.migrate();

  return {
    name: 'emmett',
    appendToNewStream: async (streamId) => {
      await store.appendToStream(streamId, [toEmmett(newEventData(1))], {
        expectedStreamVersion: STREAM_DOES_NOT_EXIST,
      });
    },
    seedStream: async (streamId, count) => {
      const events = Array.from({ length: count }, (_, i) => toEmmett(newEventData(i + 1)));
      await store.appendToStream(streamId, events, { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
    },
    command: async (streamId) => {
      await handle(store, streamId, (state) => ({ ...decide(state), metadata: newMetadata() }), RETRY);
    },
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
};
