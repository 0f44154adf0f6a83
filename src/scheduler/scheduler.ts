import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Database } from '../platform/database';
import type { Job } from './job';

export type JobRunOutcome = 'succeeded' | 'failed' | 'skipped';

/**
 * Runs jobs on their schedules. Several processes may run a scheduler; a PostgreSQL advisory
 * lock per job lets only one of them run a given job at a time, and every run is recorded in
 * `job_runs` (started, finished, outcome, detail).
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly database: Database,
    private readonly jobs: readonly Job[],
    private readonly logger: Logger,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      this.tasks.push(
        cron.schedule(job.schedule, () => void this.runNow(job.name, 'scheduled'), {
          timezone: job.timezone,
          noOverlap: true,
        }),
      );
    }
  }

  /** Runs a job now unless another process is running it; resolves with what happened. */
  runNow(name: string, trigger: 'scheduled' | 'manual' = 'manual'): Promise<JobRunOutcome> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) return Promise.reject(new RangeError(`no job named ${name}`));
    const run = this.runLocked(job, trigger);
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.stop();
    await Promise.allSettled([...this.running]);
  }

  private async runLocked(job: Job, trigger: 'scheduled' | 'manual'): Promise<JobRunOutcome> {
    const client = await this.database.pool.connect();
    try {
      const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        `job:${job.name}`,
      ]);
      if (!rows[0].locked) return 'skipped';
      try {
        const { rows: started } = await client.query(
          `INSERT INTO job_runs (job, trigger, outcome) VALUES ($1, $2, 'running') RETURNING id`,
          [job.name, trigger],
        );
        const finish = (outcome: 'succeeded' | 'failed', detail: string) =>
          client.query('UPDATE job_runs SET outcome = $2, detail = $3, finished_at = now() WHERE id = $1', [
            started[0].id,
            outcome,
            detail,
          ]);
        try {
          await finish('succeeded', await job.run());
          return 'succeeded';
        } catch (error) {
          this.logger.error({ err: error, job: job.name }, 'job failed');
          await finish('failed', (error as Error).message);
          return 'failed';
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`job:${job.name}`]);
      }
    } finally {
      client.release();
    }
  }
}
