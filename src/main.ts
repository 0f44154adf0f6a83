import type { Server } from 'node:http';
import { loadConfig } from './config';
import { createLogger } from './platform/logger';
import { onShutdownSignal } from './platform/shutdown';
import { startServices } from './platform/services';
import { exitOnStartupFailure } from './platform/startupFailure';
import { createServiceApp } from './platform/serviceApp';
import { createHttpServer } from './platform/httpServer';
import { ensureSuperAdmin } from './commands/identity/bootstrapSuperAdmin';

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

  const app = createServiceApp(services);
  const server: Server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, () => resolve()));
  logger.info({ port: config.PORT, eventStore: config.EVENT_STORE }, 'ArcFit Roster is listening');

  onShutdownSignal(logger, async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await services.close();
  });
};

main().catch(exitOnStartupFailure);
