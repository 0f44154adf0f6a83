import { Router } from 'express';
import { rolesOnly } from '../auth/access';
import type { ApiDependencies } from '../dependencies';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import type { JobControl } from './jobControl';
import { SCHEDULE_GENERATION_NOTE, societiesNotReached, upcomingRuns } from './scheduleGenerationNote';
import { cronJobsSchema, cronScheduleBody, jobAnswerSchema, stopBody, triggerBody } from './jobSchemas';
import { API_BASE } from '../http/basePath';

const superAdmins = rolesOnly(['super_admin']);

const STATUS_OF_OUTCOME = {
  running: 'running',
  succeeded: 'completed',
  failed: 'failed',
  stopped: 'stopped',
} as const;

const unknownTask = (task: string, known: readonly string[]) =>
  new HttpProblem(422, 'unknown-task', 'No such task', `No task named ${task}; tasks: ${known.join(', ')}.`);

/**
 * The spec's API gateway for cron jobs, for super admins: change an expression, see every task's
 * latest run, trigger one now (rate-limited per task across instances), stop a running one.
 */
export const jobRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const base = API_BASE;
  const control = (): JobControl => {
    if (!deps.jobs) {
      throw new HttpProblem(503, 'scheduler-unavailable', 'No scheduler runs in this process');
    }
    return deps.jobs;
  };

  /** Which societies' Sundays schedule_generation's expression misses over the coming week. */
  const notReached = async (expression: string, timezone: string) => {
    const { runs, coversSpan } = upcomingRuns(expression, timezone, 7);
    return societiesNotReached(deps.knex, runs, coversSpan);
  };

  addRoute(router, book, base, {
    method: 'post',
    path: '/cron-schedule',
    summary: 'Set a task’s cron expression (every instance picks it up within 30 s)',
    tags: ['Jobs'],
    access: superAdmins,
    body: cronScheduleBody,
    responses: { 200: json(jobAnswerSchema, 'Scheduled'), ...problems(400, 401, 403, 422, 503) },
    handler: async ({ body, principal }) => {
      const { scheduler } = control();
      if (!scheduler.hasTask(body.task)) throw unknownTask(body.task, scheduler.taskNames);
      await scheduler.setSchedule(body.task, body.cron_expression, principal.userId);
      // The societies the note names are read from the read side: let it catch up first (bounded).
      if (body.task === 'schedule_generation')
        await deps.readYourWrites.caughtUp(await deps.store.headPosition());
      const status = (await scheduler.status()).find((s) => s.task === body.task);
      const nextRun = status?.nextRun ?? null;
      return {
        status: 200,
        body: {
          status: 'success',
          message: 'Cron job scheduled successfully',
          task: body.task,
          cron_expression: body.cron_expression,
          timezone: status?.timezone ?? 'UTC',
          next_run: nextRun?.toISOString() ?? null,
          ...(body.task === 'schedule_generation'
            ? {
                note: SCHEDULE_GENERATION_NOTE,
                societies_not_reached: await notReached(body.cron_expression, status?.timezone ?? 'UTC'),
              }
            : {}),
        },
      };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/cron-jobs/status',
    summary: 'Every task with its expression, next run and latest run',
    tags: ['Jobs'],
    access: superAdmins,
    responses: { 200: json(cronJobsSchema, 'Tasks'), ...problems(401, 403, 503) },
    handler: async () => {
      const statuses = await control().scheduler.status();
      return {
        status: 200,
        body: {
          cron_jobs: statuses.map(({ task, cronExpression, timezone, nextRun, lastRun }) => ({
            id: lastRun ? String(lastRun.id) : null,
            task,
            status: lastRun ? STATUS_OF_OUTCOME[lastRun.outcome] : 'pending',
            last_run: lastRun?.started_at.toISOString() ?? null,
            cron_expression: cronExpression,
            timezone,
            ...(task === 'schedule_generation' ? { note: SCHEDULE_GENERATION_NOTE } : {}),
            next_run: nextRun?.toISOString() ?? null,
            trigger: lastRun?.trigger ?? null,
            attempts: lastRun?.attempts ?? null,
            finished_at: lastRun?.finished_at?.toISOString() ?? null,
            error: lastRun?.error ?? null,
            detail: lastRun?.detail ?? null,
          })),
        },
      };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/cron-jobs/trigger',
    summary: 'Run a task now, in the background (rate-limited per task; 409 while it runs)',
    tags: ['Jobs'],
    access: superAdmins,
    body: triggerBody,
    responses: { 202: json(jobAnswerSchema, 'Started'), ...problems(400, 401, 403, 409, 422, 429, 503) },
    handler: async ({ body }) => {
      const { scheduler, triggersPerMinute } = control();
      if (!scheduler.hasTask(body.task)) throw unknownTask(body.task, scheduler.taskNames);
      const { rows } = await deps.knex.raw(
        `SELECT count(*)::int AS n, min(started_at) AS oldest FROM job_runs
          WHERE job = ? AND trigger = 'manual' AND started_at > now() - interval '1 minute'`,
        [body.task],
      );
      if (rows[0].n >= triggersPerMinute) {
        const retryAfter = Math.max(1, Math.ceil((rows[0].oldest.getTime() + 60_000 - Date.now()) / 1000));
        throw new HttpProblem(
          429,
          'rate-limited',
          'This task was triggered too often; wait a little',
          `At most ${triggersPerMinute} manual runs of ${body.task} per minute.`,
          {},
          { 'Retry-After': String(retryAfter) },
        );
      }
      const started = await scheduler.trigger(body.task);
      if (started === 'skipped') {
        throw new HttpProblem(
          409,
          'job-already-running',
          'This task is running now',
          `${body.task} is running.`,
        );
      }
      return {
        status: 202,
        body: {
          status: 'success',
          message: 'Cron job triggered successfully',
          task: body.task,
          task_id: started.runId,
        },
      };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/cron-jobs/stop',
    summary: 'Stop a running task (by its run id); it stops at its next check, waiting retries are dropped',
    tags: ['Jobs'],
    access: superAdmins,
    body: stopBody,
    responses: { 200: json(jobAnswerSchema, 'Stopping'), ...problems(400, 401, 403, 404, 409, 503) },
    handler: async ({ body }) => {
      const outcome = await control().scheduler.requestStop(body.task_id);
      if (outcome === 'not-found') {
        throw new HttpProblem(404, 'job-run-not-found', 'No such run', `No run ${body.task_id}.`);
      }
      if (outcome === 'not-running') {
        throw new HttpProblem(
          409,
          'job-not-running',
          'That run has already finished',
          `Run ${body.task_id} is over.`,
        );
      }
      return {
        status: 200,
        body: { status: 'success', message: 'Cron job stopped successfully', task_id: body.task_id },
      };
    },
  });

  return router;
};
