import type { Logger } from 'pino';

/**
 * SIGINT/SIGTERM stop the process cleanly: stop taking requests, finish in-flight work, stop
 * the embedded PostgreSQL. A second signal, or a shutdown that hangs, forces the exit.
 */
export const onShutdownSignal = (logger: Logger, shutdown: () => Promise<void>, graceMs = 8000): void => {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
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
