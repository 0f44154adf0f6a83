import { BookingCommands } from '../../src/commands/booking/bookingCommands';
import { hashChainVerificationJobs } from '../../src/scheduler/jobs/audit/hashChainVerificationJobs';
import { storedForm } from '../../src/events/store/personalData/protectedEventStore';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { readYourWrites } from '../../src/api/http/readYourWrites';
import { CommandHandler } from '../../src/commands/handling/commandHandler';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { ProtectedEventStore } from '../../src/events/store/personalData/protectedEventStore';
import { PersonalDataKeys } from '../../src/events/store/personalData/personalDataKeys';
import { allProjections } from '../../src/projections';
import { createIdentity } from '../../src/api/auth/identityServices';
import { createReadSide } from '../../src/projections/engine/readSide';
import { createTestDatabase, type TestDatabase } from './testDatabase';
import type { JobControl } from '../../src/api/jobs/jobControl';
import { Scheduler } from '../../src/scheduler/scheduler';
import type { WebhookTargetPolicy } from '../../src/commands/webhooks/webhookTargetPolicy';
import { subscriptionEligibility } from '../../src/commands/billing/subscriptionEligibility';
import { defaultBilling } from '../../src/api/billing/billingDependencies';

/**
 * The whole service against a real PostgreSQL of its own: event store, command handler, the
 * projection engine running in-process, and the express app for supertest.
 */
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
/** What the simulated payment provider signs its webhooks with in tests. */
export const TEST_WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';
/** The bearer token /metrics asks for in tests (null: the endpoint is off). */
export const TEST_METRICS_TOKEN = 'metrics-test-token-0123456789abcdef';

export const startTestApp = async (
  options: {
    authRateLimitPerMinute?: number;
    /** The scheduler behind /cron-jobs, built on this app's database (default: one with no jobs). */
    jobs?: (db: TestDatabase) => JobControl;
    /** Test receivers listen on http://127.0.0.1: let webhooks reach them. */
    webhookPolicy?: WebhookTargetPolicy;
    /** What /metrics asks for (default TEST_METRICS_TOKEN; null: /metrics is off). */
    metricsToken?: string | null;
    /** The command handler's clock (default: the wall clock): decisions at a time the test sets. */
    clock?: () => Date;
  } = {},
) => {
  const db: TestDatabase = await createTestDatabase();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const store = new ProtectedEventStore(
    new PostgresEventStore(db.pool, { pollIntervalMs: 200 }),
    new PersonalDataKeys(db.pool),
  );
  const commands = new CommandHandler(store, { clock: options.clock });
  const { engine, waiter } = await createReadSide(db.knex, store, allProjections, logger, {
    connectionString: db.url,
    waiterPollMs: 100,
    runner: { idleMs: 200, retryDelayMs: 100 },
  });
  engine.start();
  // How long a command waits for the read side before answering 202; holdReadSide() drops it to 0.
  let readYourWritesTimeoutMs = 5000;
  const answersAfterReadSide = () => readYourWrites(waiter, readYourWritesTimeoutMs, store);
  const deps: Parameters<typeof createApp>[0] = {
    knex: db.knex,
    store,
    commands,
    readYourWrites: {
      caughtUp: (position, readModels) => answersAfterReadSide().caughtUp(position, readModels),
      awaitRequested: (req) => answersAfterReadSide().awaitRequested(req),
    },
    projections: engine,
    identity: createIdentity(db.knex, {
      jwtSecret: TEST_JWT_SECRET,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 3600,
      authRateLimitPerMinute: options.authRateLimitPerMinute ?? 100_000,
    }),
    subscriptions: subscriptionEligibility(commands),
    bookings: new BookingCommands(commands, subscriptionEligibility(commands)),
    billing: defaultBilling({ webhook: { secret: TEST_WEBHOOK_SECRET, toleranceSeconds: 300 } }),
    jobs: options.jobs?.(db) ?? {
      scheduler: new Scheduler(db, hashChainVerificationJobs(storedForm(store), db.knex), logger),
      triggersPerMinute: 5,
    },
    webhookPolicy: options.webhookPolicy,
    metricsToken:
      options.metricsToken === undefined ? TEST_METRICS_TOKEN : (options.metricsToken ?? undefined),
    logger,
  };
  const app = createApp(deps);
  /** Every event in the store, for "a refused request writes nothing". */
  const eventCount = async () => Number((await db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
  return {
    app,
    /** Another API replica on the same database: its own middleware and in-process state. */
    replica: (options?: Parameters<typeof createApp>[1]) => createApp(deps, options),
    commands,
    db,
    store,
    engine,
    waiter,
    eventCount,
    /**
     * Stops the read side for good (its projections stay where they are), so every command answers
     * 202 at once: the moment after a write that the read side has not caught up with.
     */
    holdReadSide: async () => {
      await engine.close();
      readYourWritesTimeoutMs = 0;
    },
    dispose: async () => {
      await engine.close();
      await waiter.close();
      await store.close();
      await db.dispose();
    },
  };
};

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
