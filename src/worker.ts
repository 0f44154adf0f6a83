import { loadConfig } from './config';
import { createLogger } from './platform/logger';
import { onShutdownSignal } from './platform/shutdown';
import { startServices } from './platform/services';
import { exitOnStartupFailure } from './platform/startupFailure';

/** The projection worker alone: for the scaled-out shape, where API processes set RUN_PROJECTIONS=false. */
const main = async () => {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'arcfit-worker');
  const services = await startServices(config, logger, { applicationName: 'arcfit-worker' });
  services.engine.start();
  services.scheduler.start();
  logger.info('projection worker running');
  onShutdownSignal(logger, () => services.close());
};

main().catch(exitOnStartupFailure);
