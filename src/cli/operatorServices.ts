import { loadConfig } from '../config';
import { createLogger } from '../platform/logger';
import { startServices, type Services } from '../platform/services';

/**
 * What an operator command works on: the service's own configuration (DATABASE_URL or the
 * embedded PostgreSQL, EVENT_STORE), migrated, without serving HTTP or running projections.
 */
export const withServices = async <T>(run: (services: Services) => Promise<T>): Promise<T> => {
  const services = await startServices(loadConfig(), createLogger('warn'), { applicationName: 'arcfit-cli' });
  try {
    return await run(services);
  } finally {
    await services.close();
  }
};

/** Failures set the exit code; the services above still close cleanly. */
export const fail = (message: string, code = 1): void => {
  console.error(message);
  process.exitCode = code;
};
