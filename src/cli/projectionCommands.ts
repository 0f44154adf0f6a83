import { say } from './output';
import type { Command } from 'commander';
import { allProjections } from '../projections';
import { rebuildAllInPlace } from '../projections/engine/rebuildInPlace';
import { fail, withServices } from './operatorServices';
import { progressBar } from './progress';

export const registerProjectionCommands = (program: Command): void => {
  program
    .command('rebuild [projections...]')
    .description(
      `rebuild projections from position zero beside the live tables, then swap them in (default: all of ${allProjections
        .map((p) => p.name)
        .join(', ')})`,
    )
    .option('--batch <events>', 'events per transaction', '5000')
    .action((names: string[], options: { batch: string }) =>
      withServices(async ({ store, database }) => {
        const unknown = names.filter((n) => !allProjections.some((p) => p.name === n));
        if (unknown.length > 0) return fail(`unknown projection(s): ${unknown.join(', ')}`, 2);
        const chosen =
          names.length > 0 ? allProjections.filter((p) => names.includes(p.name)) : allProjections;
        const total = Number(
          (await database.knex.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM events'))
            .rows[0]?.n ?? 0,
        );
        // One pass over the log feeds every chosen read model (not one pass each).
        const bar = progressBar(`${chosen.length} read model(s)`, total);
        const outcomes = await rebuildAllInPlace(database.knex, store, chosen, {
          batchSize: Number(options.batch),
          onProgress: ({ eventsRead }) => bar.update(eventsRead),
        }).finally(() => bar.stop());
        for (const outcome of outcomes) {
          say(
            `${outcome.projection}_v${outcome.version}: ${outcome.eventsApplied} events, at ${outcome.position}`,
          );
        }
      }),
    );
};
