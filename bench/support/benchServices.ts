import { ensureSuperAdmin } from '../../src/commands/identity/bootstrapSuperAdmin';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/platform/logger';
import { startServices } from '../../src/platform/services';

/**
 * The services a bench server runs, composed as `npm start` composes them (projections in this
 * process, scheduler off), with the configured super_admin present and already on the read side:
 * a bench signs in as that user at once.
 */
export const startBenchServices = async () => {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const services = await startServices(config, logger, { applicationName: 'arcfit-api' });
  services.engine.start();
  if (config.SUPER_ADMIN_EMAIL && config.SUPER_ADMIN_PASSWORD) {
    const { position } = await ensureSuperAdmin(services.commands, {
      email: config.SUPER_ADMIN_EMAIL,
      password: config.SUPER_ADMIN_PASSWORD,
      name: config.SUPER_ADMIN_NAME,
    });
    if (position) await services.waiter.waitFor(position, 30_000);
  }
  return { config, logger, services };
};
