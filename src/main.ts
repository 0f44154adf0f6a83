import type { Server } from 'node:http';
import { createApp } from './api/app';
import { readYourWrites } from './api/http/readYourWrites';
import { loadConfig } from './config';
import { createLogger } from './platform/logger';
import { onShutdownSignal } from './platform/shutdown';
import { startServices } from './platform/services';
import { createIdentity } from './api/auth/identityServices';
import { resolveJwtSecret } from './platform/jwtSecret';
import { ensureSuperAdmin } from './commands/identity/bootstrapSuperAdmin';
import { subscriptionEligibility } from './commands/billing/subscriptionEligibility';
import { defaultBilling } from './api/billing/billingDependencies';

/** The API process: HTTP, and (by default) projections in the same process. */
const main = async () => {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const services = await startServices(config, logger, { applicationName: 'arcfit-api' });
  if (config.SUPER_ADMIN_EMAIL && config.SUPER_ADMIN_PASSWORD) {
    const { outcome } = await ensureSuperAdmin(services.commands, {
      email: config.SUPER_ADMIN_EMAIL,
      password: config.SUPER_ADMIN_PASSWORD,
      name: config.SUPER_ADMIN_NAME,
    });
    logger.info({ email: config.SUPER_ADMIN_EMAIL, outcome }, 'super admin');
  }
  if (config.RUN_PROJECTIONS) {
    services.engine.start();
    services.scheduler.start();
  }

  const app = createApp({
    knex: services.database.knex,
    store: services.store,
    commands: services.commands,
    readYourWrites: readYourWrites(services.waiter, config.READ_YOUR_WRITES_TIMEOUT_MS),
    projections: services.engine,
    identity: createIdentity(services.database.knex, {
      jwtSecret: resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR),
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      authRateLimitPerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
    }),
    subscriptions: subscriptionEligibility(services.commands),
    billing: defaultBilling({
      webhook: {
        secret: config.PAYMENT_WEBHOOK_SECRET,
        toleranceSeconds: config.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
      },
    }),
    jobs: { scheduler: services.scheduler, triggersPerMinute: config.JOB_TRIGGERS_PER_MINUTE },
    logger,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  logger.info({ port: config.PORT, eventStore: config.EVENT_STORE }, 'ArcFit Roster is listening');

  onShutdownSignal(logger, async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await services.close();
  });
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
