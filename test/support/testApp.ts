import pino from 'pino';
import { createApp } from '../../src/api/app';
import { readYourWrites } from '../../src/api/http/readYourWrites';
import { CommandHandler } from '../../src/commands/shared/commandHandler';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { allProjections } from '../../src/projections';
import { createReadSide } from '../../src/projections/engine/readSide';
import { createTestDatabase, type TestDatabase } from './testDatabase';

/**
 * The whole service against a real PostgreSQL of its own: event store, command handler, the
 * projection engine running in-process, and the express app for supertest.
 */
export const startTestApp = async () => {
  const db: TestDatabase = await createTestDatabase();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const store = new PostgresEventStore(db.pool, { pollIntervalMs: 200 });
  const commands = new CommandHandler(store);
  const { engine, waiter } = await createReadSide(db.knex, store, allProjections, logger, {
    connectionString: db.url,
    waiterPollMs: 100,
    runner: { idleMs: 200, retryDelayMs: 100 },
  });
  engine.start();
  const app = createApp({
    knex: db.knex,
    store,
    commands,
    readYourWrites: readYourWrites(waiter, 5000),
    projections: engine,
    logger,
  });
  /** Every event in the store, for "a refused request writes nothing". */
  const eventCount = async () => Number((await db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
  return {
    app,
    db,
    store,
    engine,
    waiter,
    eventCount,
    dispose: async () => {
      await engine.close();
      await waiter.close();
      await store.close();
      await db.dispose();
    },
  };
};

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
