import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { CommandHandler } from '../commands/handling/commandHandler';
import type { EventStore } from '../events/store/eventStore';
import type { ProjectionEngine } from '../projections/engine/projectionEngine';
import type { ReadYourWrites } from './http/readYourWrites';
import type { TokenService } from './auth/tokens';
import type { RefreshTokens } from './auth/refreshTokens';
import type { PhoneOtp } from './auth/phoneOtp';
import type { LoginThrottle } from './auth/loginThrottle';
import type { IdempotencyKeys } from './http/idempotencyKeys';
import type { SubscriptionEligibility } from '../commands/billing/subscriptionEligibility';
import type { BookingCommands } from '../commands/booking/bookingCommands';
import type { BillingDependencies } from './billing/billingDependencies';
import type { JobControl } from './jobs/jobControl';
import type { WebhookTargetPolicy } from '../commands/webhooks/webhookTargetPolicy';

export interface IdentityDependencies {
  tokens: TokenService;
  refreshTokens: RefreshTokens;
  otp: PhoneOtp;
  throttle: LoginThrottle;
  /** Which request each caller's Idempotency-Key named (keyed with the same server secret). */
  idempotency: IdempotencyKeys;
  /** Signup, login and OTP requests per address per minute. */
  authRateLimitPerMinute: number;
}

/** What the HTTP layer is given; built once in src/main.ts (or by a test). */
export interface ApiDependencies {
  knex: Knex;
  store: EventStore;
  commands: CommandHandler;
  readYourWrites: ReadYourWrites;
  /** Present where projections run in this process; /ready falls back to the checkpoint table. */
  projections: Pick<ProjectionEngine, 'lag'>;
  identity: IdentityDependencies;
  /** Whether a member holds an active subscription (billing); booking refuses those who do not. */
  subscriptions?: SubscriptionEligibility;
  /** Booking's commands: one per process (its seat desk groups concurrent bookings), built with the jobs'. */
  bookings: BookingCommands;
  /** Payment gateways and the webhook secret; absent: the simulated gateway, webhooks off. */
  billing?: BillingDependencies;
  /** Which webhook URLs are refused (default: HTTPS to public addresses only). */
  webhookPolicy?: WebhookTargetPolicy;
  /** The scheduler behind /cron-jobs (absent: those routes answer 503). */
  jobs?: JobControl;
  /** The bearer token /metrics asks for (METRICS_TOKEN); absent: /metrics is off (404). */
  metricsToken?: string;
  logger: Logger;
}
