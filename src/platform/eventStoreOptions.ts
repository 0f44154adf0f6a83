import type { Logger } from 'pino';
import type { Config } from '../config';

/**
 * What both event stores take beside their connection: the app's logger, so a catch-up
 * subscription reopened after going silent is logged with everything else (not by a fallback
 * logger of its own), and how long a silence may last while the head moves on
 * (EVENT_STORE_LIVENESS_SECONDS; see src/events/store/subscriptionLiveness.ts).
 */
export const eventStoreOptions = (
  config: Pick<Config, 'EVENT_STORE_LIVENESS_SECONDS'>,
  logger: Logger,
): { livenessIntervalMs: number; logger: Logger } => ({
  livenessIntervalMs: config.EVENT_STORE_LIVENESS_SECONDS * 1000,
  logger,
});
