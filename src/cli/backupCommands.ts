import type { Command } from 'commander';
import { allProjections } from '../projections';
import { rebuildAllInPlace } from '../projections/engine/rebuildInPlace';
import { backupEventStore, EVENT_STORE_TABLES } from './eventStoreBackup';
import { loadEventStore } from './eventStoreRestore';
import { fail, withServices } from './operatorServices';
import { say } from './output';
import type { Services } from '../platform/services';

/** The log is in KurrentDB under EVENT_STORE=esdb: a dump of PostgreSQL would not hold it. */
const postgresLogOnly = ({ config }: Services): boolean => {
  if (config.EVENT_STORE === 'postgres') return true;
  fail(
    'EVENT_STORE=esdb: the event log is in KurrentDB, not PostgreSQL; back it up with KurrentDB’s own ' +
      'backup (docs/operations.md). These commands back up the PostgreSQL event store.',
    2,
  );
  return false;
};

/** Runs an operator step; an expected failure is one line for the operator, not a stack. */
const orFail = async (step: () => Promise<void>): Promise<void> => {
  try {
    await step();
  } catch (error) {
    fail((error as Error).message);
  }
};

export const registerBackupCommands = (program: Command): void => {
  program
    .command('backup')
    .description(`the event store (${EVENT_STORE_TABLES.join(', ')}) into one file, from one snapshot`)
    .requiredOption('--out <file>', 'the file to write (gzip: a JSON header, then each table as COPY CSV)')
    .action((options: { out: string }) =>
      withServices(async (services) => {
        if (!postgresLogOnly(services)) return;
        await orFail(async () => {
          const header = await backupEventStore(services.database.pool, options.out);
          const rows = header.tables.map((table) => `${table.rows} ${table.name}`).join(', ');
          say(`backed up ${rows} to ${options.out}`);
        });
      }),
    );

  program
    .command('restore')
    .description(
      'into a fresh database (DATABASE_URL): migrate, load a backup, rebuild every read model from the log',
    )
    .requiredOption('--from <file>', 'a file written by `backup`')
    .action((options: { from: string }) =>
      // withServices has already run the migrations on the fresh database: the schema is this version's.
      withServices(async (services) => {
        if (!postgresLogOnly(services)) return;
        const { database, store } = services;
        await orFail(async () => {
          const restored = await loadEventStore(database.pool, options.from);
          say(
            `restored ${restored.events} events in ${restored.streams} streams, ${restored.personalDataKeys} personal-data keys`,
          );
          // One pass over the restored log feeds every read model.
          for (const outcome of await rebuildAllInPlace(database.knex, store, allProjections)) {
            say(
              `${outcome.projection}_v${outcome.version}: ${outcome.eventsApplied} events, at ${outcome.position}`,
            );
          }
          say('read models rebuilt; check them against the log with `verify-replay`');
        });
      }),
    );
};
