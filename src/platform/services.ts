import type { Logger } from 'pino';
import type { Config } from '../config';
import { CommandHandler } from '../commands/handling/commandHandler';
import type { EventStore } from '../events/store/eventStore';
import { createEsdbEventStore } from '../events/store/esdb/esdbEventStore';
import { PostgresEventStore } from '../events/store/postgres/postgresEventStore';
import { ProtectedEventStore, storedForm } from '../events/store/personalData/protectedEventStore';
import { PersonalDataKeys } from '../events/store/personalData/personalDataKeys';
import { allProjections } from '../projections';
import type { ProjectionEngine } from '../projections/engine/projectionEngine';
import { createReadSide } from '../projections/engine/readSide';
import type { PositionWaiter } from '../projections/engine/positionWaiter';
import { openDatabase, type Database } from './database';
import { eventStoreOptions } from './eventStoreOptions';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embeddedPostgres';
import { migrate } from './migrations';
import { Scheduler } from '../scheduler/scheduler';
import type { Job } from '../scheduler/job';
import { withCronOverrides } from '../scheduler/cronOverrides';
import { healthCheckJob } from '../scheduler/jobs/healthCheckJob';
import { requestRecordsExpiryJob } from '../scheduler/jobs/requestRecordsExpiryJob';
import { hashChainVerificationJobs } from '../scheduler/jobs/audit/hashChainVerificationJobs';
import { scheduleGenerationJob } from '../scheduler/jobs/schedules/scheduleGenerationJob';
import { uniqueClaimReconciliationJob } from '../scheduler/jobs/uniqueness/uniqueClaimReconciliationJob';
import { UniqueClaimReconciler } from '../commands/uniqueness/uniqueClaimReconciler';
import { BookingCommands } from '../commands/booking/bookingCommands';
import { subscriptionEligibility } from '../commands/billing/subscriptionEligibility';
import { bookingReconciliationJob } from '../scheduler/jobs/booking/bookingReconciliationJob';
import { bookingCleanupJob } from '../scheduler/jobs/booking/bookingCleanupJob';
import { sendNotificationsJob } from '../scheduler/jobs/sendNotificationsJob';
import { createNotificationDispatcher } from '../commands/notifications/notificationServices';
import { WebhookDispatcher } from '../commands/webhooks/webhookDispatcher';
import { billingJobs } from '../scheduler/jobs/billing/billingJobs';
import { defaultBilling } from '../api/billing/billingDependencies';
import { closeSolverPool, configureSolverPool } from '../commands/schedules/solverPool';
import { BOOKING_ANSWER_READ_MODELS } from '../projections/bookingAnswerReadModels';

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
  /** The one BookingCommands of this process: the API and the booking jobs share it. */
  bookings: BookingCommands;
  close(): Promise<void>;
}

const createEventStore = async (config: Config, database: Database, logger: Logger): Promise<EventStore> => {
  const options = eventStoreOptions(config, logger);
  if (config.EVENT_STORE === 'esdb') {
    return createEsdbEventStore(config.ESDB_CONNECTION_STRING!, options);
  }
  return new PostgresEventStore(database.pool, options);
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
    // Personal data in events is encrypted per person (erasure deletes the key): see ProtectedEventStore.
    const store = new ProtectedEventStore(
      await createEventStore(config, database, logger),
      new PersonalDataKeys(database.pool),
    );
    const commands = new CommandHandler(store);
    const { engine, waiter } = await createReadSide(database.knex, store, allProjections, logger, {
      connectionString: databaseUrl,
      runner: { batchSize: config.PROJECTION_BATCH_SIZE, answerFirst: BOOKING_ANSWER_READ_MODELS },
    });
    // Scheduled jobs: append jobs here, one line each. A job's `name` is the spec's task name
    // (schedule_generation, send_notifications, payment_status_check, membership_expiration_check,
    // booking_reconciliation, booking_cleanup, refund_reconciliation, health_check); its default cron expression is in
    // the job, `CRON_<TASK>` (e.g. CRON_BOOKING_CLEANUP='0 */6 * * *') overrides it at start-up,
    // and POST /api/v1/cron-schedule changes it at run time.
    const dispatcher = createNotificationDispatcher(database.knex, config, logger);
    const bookings = new BookingCommands(commands, subscriptionEligibility(commands));
    const jobs: Job[] = [
      bookingReconciliationJob(database.knex, bookings),
      bookingCleanupJob(database.knex, bookings),
      healthCheckJob(database.knex, engine, logger),
      requestRecordsExpiryJob(database.knex),
      ...hashChainVerificationJobs(storedForm(store), database.knex),
      sendNotificationsJob(dispatcher, new WebhookDispatcher(database.knex, logger)),
      ...billingJobs(database.knex, commands, defaultBilling().gateways),
      scheduleGenerationJob({ knex: database.knex, commands, logger }),
      uniqueClaimReconciliationJob(new UniqueClaimReconciler(storedForm(store), commands)),
    ];
    const scheduler = new Scheduler(database, withCronOverrides(jobs, process.env), logger);
    configureSolverPool(config.SOLVER_THREADS);
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
      bookings,
      close: async () => {
        await scheduler.stop();
        await closeSolverPool();
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
