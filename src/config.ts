import { z } from 'zod';
import { missingForProduction } from './platform/productionRequirements';
import { parseTrustProxy } from './api/http/trustProxy';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Everything configurable, from the environment. README.md has the table. */
const configSchema = z.object({
  /** `production`: JWT_SECRET and DATABASE_URL become required (see productionRequirements). */
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  EVENT_STORE: z.enum(['postgres', 'esdb']).default('postgres'),
  ESDB_CONNECTION_STRING: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RUN_PROJECTIONS: flag.default(true),
  READ_YOUR_WRITES_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  DB_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(20),
  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(90 * 86_400)
    .default(30 * 86_400),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  SUPER_ADMIN_EMAIL: z.string().email().optional(),
  SUPER_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
  SUPER_ADMIN_NAME: z.string().default('Super Admin'),
  /** The payment provider's webhook signing secret; unset, POST /payments/webhook answers 503. */
  PAYMENT_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  PAYMENT_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().default('ArcFit Roster <no-reply@arcfit.app>'),
  SMS_PROVIDER_URL: z.string().url().optional(),
  SMS_PROVIDER_TOKEN: z.string().optional(),
  NOTIFICATION_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Bearer token /metrics asks for; unset: /metrics is off (404). See docs/operations.md. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  JOB_TRIGGERS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(5),
  /**
   * Which proxies in front may name the client in X-Forwarded-For (docs/operations.md): unset, none
   * (the connection's address is the client's); a hop count (`1` behind one nginx); or their
   * addresses (`loopback, 10.0.0.0/8`). The per-address auth limit counts by what this yields.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** How often a catch-up subscription checks it is still receiving (subscriptionLiveness.ts). */
  EVENT_STORE_LIVENESS_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Worker threads for the weekly schedule solver (each solve holds one for up to its time limit). */
  SOLVER_THREADS: z.coerce.number().int().min(1).max(8).default(1),
});

export type Config = z.infer<typeof configSchema>;

/** A setting is missing or wrong; its message is one line an operator can act on (no stack). */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`invalid configuration: ${problems}`);
  }
  if (parsed.data.EVENT_STORE === 'esdb' && !parsed.data.ESDB_CONNECTION_STRING) {
    throw new ConfigurationError('invalid configuration: EVENT_STORE=esdb needs ESDB_CONNECTION_STRING');
  }
  if (Boolean(parsed.data.SUPER_ADMIN_EMAIL) !== Boolean(parsed.data.SUPER_ADMIN_PASSWORD)) {
    throw new ConfigurationError(
      'invalid configuration: SUPER_ADMIN_EMAIL and SUPER_ADMIN_PASSWORD come together',
    );
  }
  const missing = missingForProduction(parsed.data);
  if (missing.length > 0) throw new ConfigurationError(`invalid configuration: ${missing.join('; ')}`);
  return parsed.data;
};
