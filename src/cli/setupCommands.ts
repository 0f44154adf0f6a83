import { say } from './output';
import type { Command } from 'commander';
import { ensureSuperAdmin } from '../commands/identity/bootstrapSuperAdmin';
import { createAnalystLogin } from '../projections/analytics/analystLogin';
import { migrationSource } from '../platform/migrations';
import { fail, withServices } from './operatorServices';

export const registerSetupCommands = (program: Command): void => {
  program
    .command('migrate')
    .description('apply every pending migration (the service also does this at start-up)')
    .action(() =>
      withServices(async ({ database }) => {
        const [completed] = (await database.knex.migrate.list({
          migrationSource,
        })) as [Array<{ name: string } | string>, unknown];
        say(`migrated: ${completed.map((m) => (typeof m === 'string' ? m : m.name)).join(', ')}`);
      }),
    );

  program
    .command('create-super-admin')
    .description('create a super_admin if absent')
    .requiredOption('--email <email>')
    .requiredOption('--password <password>', 'at least 12 characters')
    .option('--name <name>', 'display name', 'Super Admin')
    .action((o: { email: string; password: string; name: string }) => {
      if (o.password.length < 12) return fail('the password needs at least 12 characters', 2);
      return withServices(async ({ commands }) => {
        const { outcome } = await ensureSuperAdmin(commands, o);
        say(outcome === 'created' ? `super admin ${o.email} created` : `${o.email} already exists`);
      });
    });

  program
    .command('create-analyst-login')
    .description('a PostgreSQL login that may read the analytics schema and nothing else (docs/analytics.md)')
    .requiredOption('--name <login>', 'lowercase letters, digits, _')
    .requiredOption('--password <password>')
    .action((o: { name: string; password: string }) =>
      withServices(async ({ database }) => {
        await createAnalystLogin(database.knex, o.name, o.password);
        say(
          `analyst login ${o.name} created: psql … -U ${o.name} -c 'SELECT * FROM analytics.society_weekly_trends'`,
        );
      }),
    );
};
