import cron from 'node-cron';
import type { Knex } from 'knex';
import { localDateOf } from '../../events/classes/classTime';
import { weekdayOf } from '../../commands/trainers/availability';
import { allSocietyClocks } from '../../projections/schedules/planningQueries';

/**
 * What schedule_generation's expression means, said wherever it is set or shown: each run makes
 * the coming week for every society where it is Sunday in that society's own zone (the spec's
 * "Sunday at midnight", per society). The default expression, every 15 minutes, reaches every
 * zone's Sunday; a once-a-week expression reaches only the societies whose Sunday its instant
 * falls on, and the others' weeks would never be made.
 */
export const SCHEDULE_GENERATION_NOTE =
  'Each run generates the coming week for every society where it is Sunday in its own time zone ' +
  '(weeks already generated are skipped). The default */15 * * * * reaches every society’s Sunday; ' +
  'an expression whose runs in the coming 7 days fall on no Sunday of a society’s zone never makes ' +
  'that society’s weeks: societies_not_reached lists them (empty: every society is reached).';

const RUN_LIMIT = 10_080;

/**
 * When an expression fires over the next `days` in its zone (at most RUN_LIMIT instants), and
 * whether that covers the whole span (a very frequent expression stops short at the limit).
 */
export const upcomingRuns = (expression: string, timezone: string, days: number) => {
  const probe = cron.createTask(expression, () => undefined, { timezone });
  try {
    const runs = probe.getNextRuns(RUN_LIMIT);
    const until = Date.now() + days * 86_400_000;
    const last = runs[runs.length - 1];
    return {
      runs: runs.filter((at) => at.getTime() <= until),
      coversSpan: runs.length < RUN_LIMIT || (last !== undefined && last.getTime() > until),
    };
  } finally {
    void probe.destroy();
  }
};

/**
 * The societies none of these runs (the coming week's) falls on a local Sunday for. Runs that
 * stop short of a week (a limit reached) come from a frequent expression: every zone is reached.
 */
export const societiesNotReached = async (knex: Knex, runs: readonly Date[], coversWeek: boolean) => {
  if (!coversWeek) return [];
  const clocks = await allSocietyClocks(knex);
  return clocks
    .filter((s) => !runs.some((at) => weekdayOf(localDateOf(at, s.timezone)) === 'sun'))
    .map((s) => s.id);
};
