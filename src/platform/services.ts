import type { Logger } from 'pino';
import type { Config } from '../config';
import { CommandHandler } from '../commands/shared/commandHandler';
import type { EventStore } from '../events/store/eventStore';
import { createEsdbEventStore } from '../events/store/esdb/esdbEventStore';
import { PostgresEventStore } from '../events/store/postgres/postgresEventStore';
import { allProjections } from '../projections';
import type { ProjectionEngine } from '../projections/engine/projectionEngine';
import { createReadSide } from '../projections/engine/readSide';
import type { PositionWaiter } from '../projections/engine/positionWaiter';
import { openDatabase, type Database } from './database';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embeddedPostgres';
import { migrate } from './migrations';
import { Scheduler } from '../scheduler/scheduler';
import { projectionHealthJob } from '../scheduler/jobs/projectionHealthJob';

/** The composition root's parts, built from configuration; `close` stops them in reverse order. */
export interface Services {
  config: Config;
  logger: Logger;
  database: Database;
  databaseUrl: string;
  store: EventStore;
  commands: CommandHandler;
  engine: ProjectionEngine;
  waiter: PositionWaiter;
  scheduler: Scheduler;
  close(): Promise<void>;
}

const createEventStore = async (config: Config, database: Database): Promise<EventStore> => {
  if (config.EVENT_STORE === 'esdb') {
    return createEsdbEventStore(config.ESDB_CONNECTION_STRING!);
  }
  return new PostgresEventStore(database.pool);
};

export const startServices = async (
  config: Config,
  logger: Logger,
  role: { applicationName: string },
): Promise<Services> => {
  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    logger.info({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT }, 'starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({
      dataDir: config.DATA_DIR,
      port: config.EMBEDDED_PG_PORT,
      log: (line) => logger.debug({ postgres: line }),
    });
    databaseUrl = embedded.url;
  }
  try {
    const database = openDatabase(databaseUrl, {
      maxConnections: config.DB_POOL_SIZE,
      applicationName: role.applicationName,
    });
    await migrate(database.knex);
    const store = await createEventStore(config, database);
    const commands = new CommandHandler(store);
    const { engine, waiter } = await createReadSide(database.knex, store, allProjections, logger, {
      connectionString: databaseUrl,
      runner: { batchSize: config.PROJECTION_BATCH_SIZE },
    });
    const scheduler = new Scheduler(database, [projectionHealthJob(engine, logger)], logger);
    return {
      config,
      logger,
      database,
      databaseUrl,
      store,
      commands,
      engine,
      waiter,
      scheduler,
      close: async () => {
        await scheduler.stop();
        await engine.close();
        await waiter.close();
        await store.close();
        await database.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
};
