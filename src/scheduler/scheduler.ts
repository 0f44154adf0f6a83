import cron, { type ScheduledTask } from 'node-cron';
import type { PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { Knex } from 'knex';
import type { Pool } from 'pg';

/** The connections the scheduler needs (the platform's Database has this shape). */
interface SchedulerDatabase {
  pool: Pool;
  knex: Knex;
}
import type { Job } from './job';
import { abortableDelay, backoffDelayMs } from './backoff';
import { insertJobRun, latestRunPerJob, type JobRunRow } from './jobRunsTable';

export type JobRunOutcome = 'succeeded' | 'failed' | 'skipped' | 'stopped';
export type JobTrigger = 'scheduled' | 'manual';
export type StopRequest = 'stopping' | 'not-running' | 'not-found';

export interface SchedulerOptions {
  /** How often an instance picks up expressions another instance set (POST /cron-schedule). */
  readonly refreshIntervalMs?: number;
  /** How often a running job looks for a stop request made on another instance. */
  readonly stopPollMs?: number;
}

export interface JobStatus {
  readonly task: string;
  readonly cronExpression: string;
  /** The IANA zone the expression runs in: the job's, else UTC. */
  readonly timezone: string;
  readonly nextRun: Date | null;
  readonly lastRun: JobRunRow | undefined;
}

const DEFAULT_ATTEMPTS = 3;

/** The zone a job's expression runs in. */
const zoneOf = (job: Job) => job.timezone ?? 'UTC';
const DEFAULT_INITIAL_DELAY_MS = 1000;

/**
 * Runs jobs on their schedules. Several processes may run a scheduler against one database:
 * a PostgreSQL advisory lock per job lets only one of them run a given job at a time, and a
 * scheduled tick is recorded in `job_runs` under a unique (job, tick) key, so a slower instance
 * arriving after the first one finished does not run the same tick again. Every run is
 * recorded (trigger, started, finished, outcome, attempts, error); a failing attempt is retried
 * with exponential backoff.
 */
export class Scheduler {
  private readonly jobs: ReadonlyMap<string, Job>;
  private readonly expressions = new Map<string, string>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly running = new Set<Promise<unknown>>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(
    private readonly database: SchedulerDatabase,
    jobs: readonly Job[],
    private readonly logger: Logger,
    private readonly options: SchedulerOptions = {},
  ) {
    const byName = new Map<string, Job>();
    for (const job of jobs) {
      if (byName.has(job.name)) throw new Error(`two jobs are named ${job.name}`);
      if (!cron.validate(job.schedule))
        throw new Error(`job ${job.name}: invalid cron expression ${job.schedule}`);
      byName.set(job.name, job);
      this.expressions.set(job.name, job.schedule);
    }
    this.jobs = byName;
  }

  get taskNames(): string[] {
    return [...this.jobs.keys()];
  }

  hasTask(name: string): boolean {
    return this.jobs.has(name);
  }

  /** Schedules every job, then applies expressions stored by the job API (and keeps doing so). */
  start(): void {
    this.started = true;
    for (const name of this.jobs.keys()) this.schedule(name);
    const refresh = () =>
      this.reloadSchedules().catch((error) =>
        this.logger.warn({ err: error }, 'cron schedules not refreshed'),
      );
    void refresh();
    this.refreshTimer = setInterval(refresh, this.options.refreshIntervalMs ?? 30_000);
    this.refreshTimer.unref();
  }

  /** Runs a job now unless another process is running it (or already ran this tick). */
  runNow(
    name: string,
    trigger: JobTrigger = 'manual',
    tick?: Date,
    onStarted?: (runId: string) => void,
  ): Promise<JobRunOutcome> {
    const job = this.jobs.get(name);
    if (!job) return Promise.reject(new RangeError(`no job named ${name}`));
    const run = this.runLocked(job, trigger, tick, onStarted);
    this.running.add(run);
    // Not run.finally(): its derived promise would reject unhandled when the run does.
    const forget = () => this.running.delete(run);
    run.then(forget, forget);
    return run;
  }

  /**
   * Starts a manual run in the background: resolves with the run's id once it is recorded, or
   * 'skipped' when another instance is running the job.
   */
  trigger(name: string): Promise<{ runId: string; done: Promise<JobRunOutcome> } | 'skipped'> {
    return new Promise((resolve, reject) => {
      const done: Promise<JobRunOutcome> = this.runNow(name, 'manual', undefined, (runId) =>
        resolve({ runId, done }),
      );
      done.then((outcome) => outcome === 'skipped' && resolve('skipped'), reject);
    });
  }

  /** Stores a new expression for a task (every instance picks it up) and applies it here at once. */
  async setSchedule(task: string, cronExpression: string, updatedBy: string | null): Promise<void> {
    if (!this.jobs.has(task)) throw new RangeError(`no job named ${task}`);
    if (!cron.validate(cronExpression)) throw new TypeError(`invalid cron expression ${cronExpression}`);
    await this.database.pool.query(
      `INSERT INTO cron_schedules (task, cron_expression, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (task) DO UPDATE SET cron_expression = $2, updated_by = $3, updated_at = now()`,
      [task, cronExpression, updatedBy],
    );
    this.apply(task, cronExpression);
  }

  /**
   * Asks a running run to stop: recorded on the run, so the instance running it (this one or
   * another) aborts its signal and skips any retry still waiting. A job stops at its next check
   * of the signal.
   */
  async requestStop(runId: string): Promise<StopRequest> {
    const { rows } = await this.database.pool.query(
      `UPDATE job_runs SET stop_requested_at = coalesce(stop_requested_at, now())
        WHERE id = $1 RETURNING outcome`,
      [runId],
    );
    if (!rows.length) return 'not-found';
    if (rows[0].outcome !== 'running') return 'not-running';
    this.controllers.get(runId)?.abort();
    return 'stopping';
  }

  async status(): Promise<JobStatus[]> {
    const latest = await latestRunPerJob(this.database.pool, this.taskNames);
    return this.taskNames.map((task) => ({
      task,
      cronExpression: this.expressions.get(task)!,
      timezone: zoneOf(this.jobs.get(task)!),
      nextRun: this.tasks.get(task)?.getNextRun() ?? null,
      lastRun: latest.get(task),
    }));
  }

  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.refreshTimer);
    for (const task of this.tasks.values()) await task.stop();
    this.tasks.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(name: string): void {
    const job = this.jobs.get(name)!;
    this.tasks.set(
      name,
      cron.schedule(
        this.expressions.get(name)!,
        (context) => {
          // The tick node-cron meant to fire, not when the timer woke: the same key on every instance.
          const tick = new Date(Math.floor(context.date.getTime() / 1000) * 1000);
          void this.runNow(name, 'scheduled', tick).catch((error) =>
            this.logger.error({ err: error, job: name }, 'scheduled run not recorded'),
          );
        },
        // Never the host's zone: an expression means the same wherever the process runs.
        { timezone: zoneOf(job), noOverlap: true, name },
      ),
    );
  }

  private apply(task: string, cronExpression: string): void {
    if (this.expressions.get(task) === cronExpression) return;
    this.expressions.set(task, cronExpression);
    if (!this.started) return;
    void this.tasks.get(task)?.stop();
    this.schedule(task);
  }

  /** Applies the expressions stored through the job API (start() also polls for them). */
  async reloadSchedules(): Promise<void> {
    const { rows } = await this.database.pool.query<{ task: string; cron_expression: string }>(
      'SELECT task, cron_expression FROM cron_schedules',
    );
    for (const row of rows) {
      if (this.jobs.has(row.task) && cron.validate(row.cron_expression))
        this.apply(row.task, row.cron_expression);
    }
  }

  private async runLocked(
    job: Job,
    trigger: JobTrigger,
    tick: Date | undefined,
    onStarted?: (runId: string) => void,
  ): Promise<JobRunOutcome> {
    const client = await this.database.pool.connect();
    const lockKey = `job:${job.name}`;
    try {
      const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockKey]);
      if (!rows[0].locked) return 'skipped';
      try {
        const runId = await insertJobRun(client, job.name, trigger, tick ?? null);
        if (!runId) return 'skipped';
        onStarted?.(runId);
        return await this.attempt(client, job, runId);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
      }
    } finally {
      client.release();
    }
  }

  private async attempt(client: PoolClient, job: Job, runId: string): Promise<JobRunOutcome> {
    const controller = new AbortController();
    this.controllers.set(runId, controller);
    const watcher = setInterval(() => {
      this.database.pool
        .query('SELECT stop_requested_at IS NOT NULL AS stop FROM job_runs WHERE id = $1', [runId])
        .then(({ rows }) => rows[0]?.stop && controller.abort())
        .catch(() => undefined);
    }, this.options.stopPollMs ?? 1000);
    const finish = (
      outcome: 'succeeded' | 'failed' | 'stopped',
      attempts: number,
      detail: string,
      error: string | null,
    ) =>
      client.query(
        `UPDATE job_runs SET outcome = $2, attempts = $3, detail = $4, error = $5, finished_at = now() WHERE id = $1`,
        [runId, outcome, attempts, detail, error],
      );
    const maxAttempts = Math.max(1, job.retry?.attempts ?? DEFAULT_ATTEMPTS);
    const initialDelayMs = job.retry?.initialDelayMs ?? DEFAULT_INITIAL_DELAY_MS;
    try {
      for (let attempt = 1; ; attempt++) {
        await client.query('UPDATE job_runs SET attempts = $2 WHERE id = $1', [runId, attempt]);
        try {
          const summary = await job.run(controller.signal);
          if (controller.signal.aborted) {
            await finish('stopped', attempt, summary, null);
            return 'stopped';
          }
          await finish('succeeded', attempt, summary, null);
          return 'succeeded';
        } catch (error) {
          const message = (error as Error).message ?? String(error);
          if (controller.signal.aborted) {
            await finish('stopped', attempt, message, message);
            return 'stopped';
          }
          this.logger.error({ err: error, job: job.name, attempt }, 'job attempt failed');
          if (attempt >= maxAttempts) {
            await finish('failed', attempt, message, message);
            return 'failed';
          }
          const waited = await abortableDelay(backoffDelayMs(attempt, initialDelayMs), controller.signal);
          if (!waited) {
            await finish('stopped', attempt, message, message);
            return 'stopped';
          }
        }
      }
    } finally {
      clearInterval(watcher);
      this.controllers.delete(runId);
    }
  }
}
