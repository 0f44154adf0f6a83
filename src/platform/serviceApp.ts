import { createApp } from '../api/app';
import { createIdentity } from '../api/auth/identityServices';
import { defaultBilling } from '../api/billing/billingDependencies';
import { readYourWrites } from '../api/http/readYourWrites';
import { subscriptionEligibility } from '../commands/billing/subscriptionEligibility';
import { resolveJwtSecret } from './jwtSecret';
import type { Services } from './services';

/** The HTTP app over started services, configured from their config: what `npm start` serves. */
export const createServiceApp = ({
  config,
  logger,
  database,
  store,
  commands,
  waiter,
  engine,
  scheduler,
  bookings,
}: Services) =>
  createApp(
    {
      knex: database.knex,
      store,
      commands,
      readYourWrites: readYourWrites(waiter, config.READ_YOUR_WRITES_TIMEOUT_MS, store),
      projections: engine,
      identity: createIdentity(database.knex, {
        jwtSecret: resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR),
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
        authRateLimitPerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
      }),
      subscriptions: subscriptionEligibility(commands),
      bookings,
      billing: defaultBilling({
        webhook: {
          secret: config.PAYMENT_WEBHOOK_SECRET,
          toleranceSeconds: config.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
        },
      }),
      jobs: { scheduler, triggersPerMinute: config.JOB_TRIGGERS_PER_MINUTE },
      metricsToken: config.METRICS_TOKEN,
      logger,
    },
    { trustProxy: config.TRUST_PROXY },
  );
