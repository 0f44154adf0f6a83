import cron from 'node-cron';
import type { Job } from './job';

/** `booking_cleanup` → `CRON_BOOKING_CLEANUP`: the environment variable that overrides a job's expression. */
export const cronVariableFor = (task: string): string => `CRON_${task.toUpperCase()}`;

/**
 * Applies `CRON_<TASK>` overrides from the environment to the registered jobs. A malformed
 * expression stops start-up rather than silently never firing.
 */
export const withCronOverrides = (jobs: readonly Job[], env: NodeJS.ProcessEnv): Job[] =>
  jobs.map((job) => {
    const override = env[cronVariableFor(job.name)]?.trim();
    if (!override) return job;
    if (!cron.validate(override)) {
      throw new Error(
        `invalid configuration: ${cronVariableFor(job.name)} is not a cron expression: ${override}`,
      );
    }
    return { ...job, schedule: override };
  });
