import type { Logger } from 'pino';

const REPEAT_IS_DUPLICATE_MS = 1000;

/**
 * SIGINT/SIGTERM stop the process cleanly: stop taking requests, finish in-flight work, stop
 * the embedded PostgreSQL. A second signal (a second later or more), or a shutdown that hangs,
 * forces the exit.
 */
export const onShutdownSignal = (logger: Logger, shutdown: () => Promise<void>, graceMs = 8000): void => {
  let stoppingSince: number | undefined;
  const stop = (signal: string) => {
    if (stoppingSince !== undefined) {
      // The same signal twice in a moment is one request delivered twice, not impatience: a
      // process-group SIGTERM reaches node both directly and relayed by `npm start`, and exiting
      // on the relay left the embedded PostgreSQL running.
      if (Date.now() - stoppingSince < REPEAT_IS_DUPLICATE_MS) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long: exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    shutdown()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
};
