import { randomUUID } from 'node:crypto';
import { CommandHandler } from '../../../src/commands/handling/commandHandler';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { openDatabase } from '../../../src/platform/database';
import { migrate } from '../../../src/platform/migrations';
import { attendanceDecider, EVENT_TYPE, newEventData } from '../workload';
import { POOL_SIZE, type Contender } from './contender';

/** Our PostgreSQL adapter, and the CommandHandler on top of it for commands. */
export const createOurs = async (url: string): Promise<Contender> => {
  const db = openDatabase(url, { maxConnections: POOL_SIZE, applicationName: 'bench-ours' });
  await migrate(db.knex);
  const store = new PostgresEventStore(db.pool);
  const handler = new CommandHandler(store);

  return {
    name: 'ours',
    appendToNewStream: async (streamId) => {
      await store.append(streamId, [{ id: randomUUID(), type: EVENT_TYPE, data: newEventData(1) }], {
        expectedRevision: 'no_stream',
      });
    },
    seedStream: async (streamId, count) => {
      const events = Array.from({ length: count }, (_, i) => ({
        id: randomUUID(),
        type: EVENT_TYPE,
        data: newEventData(i + 1),
      }));
      await store.append(streamId, events, { expectedRevision: 'no_stream' });
    },
    command: async (streamId) => {
      await handler.handle(
        streamId,
        attendanceDecider,
        { type: 'MarkAttendance' },
        { commandId: randomUUID(), commandType: 'MarkAttendance' },
      );
    },
    close: async () => {
      await store.close();
      await db.close();
    },
  };
};
