import { parseArgs } from 'node:util';
import { ensureSuperAdmin } from './commands/identity/bootstrapSuperAdmin';
import { loadConfig } from './config';
import { createLogger } from './platform/logger';
import { startServices } from './platform/services';

const usage = `usage: npm run cli -- create-super-admin --email <email> --password <password> [--name <name>]`;

/** Operator commands. Uses the same configuration as the service (DATABASE_URL or the embedded one). */
const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
  });
  if (positionals[0] !== 'create-super-admin' || !values.email || !values.password) {
    console.error(usage);
    process.exit(2);
  }
  if (values.password.length < 12) {
    console.error('the password needs at least 12 characters');
    process.exit(2);
  }
  const config = loadConfig();
  const services = await startServices(config, createLogger('warn'), { applicationName: 'arcfit-cli' });
  try {
    const { outcome } = await ensureSuperAdmin(services.commands, {
      email: values.email,
      password: values.password,
      name: values.name ?? 'Super Admin',
    });
    console.log(
      outcome === 'created' ? `super admin ${values.email} created` : `${values.email} already exists`,
    );
  } finally {
    await services.close();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
