import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { localDateOf } from '../../../events/classes/classTime';
import type { CommandHandler } from '../../../commands/handling/commandHandler';
import { addDays, isoWeekOf } from '../../../commands/schedules/isoWeek';
import { generateWeek, weekGenerated } from '../../../commands/schedules/weekGeneration';
import { weekdayOf } from '../../../commands/trainers/availability';
import { allSocietyClocks } from '../../../projections/schedules/planningQueries';
import type { Job } from '../../job';

export interface ScheduleGenerationJobDependencies {
  readonly knex: Knex;
  readonly commands: CommandHandler;
  readonly logger: Logger;
  readonly clock?: () => Date;
  readonly timeLimitSeconds?: number;
}

/**
 * Sunday 00:00 in each society's time zone: generate the coming week (Monday to Sunday) from
 * its templates. One cron expression cannot say "midnight in forty zones", so the job wakes
 * every 15 minutes (zones sit on quarter hours) and generates, for every society where it is
 * Sunday now, the next week unless that week is recorded as generated already. A missed
 * midnight is caught up later that Sunday; a run twice generates nothing twice. Societies due
 * at the same moment are planned together, as they share trainers.
 */
export const scheduleGenerationJob = (deps: ScheduleGenerationJobDependencies): Job => ({
  name: 'schedule_generation',
  schedule: '*/15 * * * *',
  run: async (signal) => {
    const now = (deps.clock ?? (() => new Date()))();
    const due = new Map<string, string[]>();
    for (const society of await allSocietyClocks(deps.knex)) {
      const today = localDateOf(now, society.timezone);
      if (weekdayOf(today) !== 'sun') continue;
      const week = isoWeekOf(addDays(today, 1));
      if (await weekGenerated(deps.commands, society.id, week)) continue;
      due.set(week, [...(due.get(week) ?? []), society.id]);
    }
    if (due.size === 0) return 'no society is due';
    const lines: string[] = [];
    for (const [isoWeek, societyIds] of due) {
      // Stopped by an operator: weeks already done stay done, the rest wait for the next run.
      signal.throwIfAborted();
      const result = await generateWeek(
        { knex: deps.knex, commands: deps.commands, clock: deps.clock },
        { isoWeek, societyIds, timeLimitSeconds: deps.timeLimitSeconds ?? 30 },
        {},
      );
      const { solver } = result.proposal.plan;
      lines.push(
        `${isoWeek}: ${societyIds.length} societies, ${result.created.length} classes created, ` +
          `${result.unstaffed.length} unstaffed (${solver.method} ${solver.status}, ${solver.seconds} s)`,
      );
      if (result.unstaffed.length)
        deps.logger.warn(
          {
            isoWeek,
            unstaffed: result.unstaffed.map((u) => ({ classId: u.slot.classId, reason: u.reason })),
          },
          'weekly schedule: classes left unstaffed',
        );
    }
    return lines.join('; ');
  },
});
