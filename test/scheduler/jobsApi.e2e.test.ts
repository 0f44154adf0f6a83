import pino from 'pino';
import request from 'supertest';
import type { Job } from '../../src/scheduler/job';
import { Scheduler } from '../../src/scheduler/scheduler';
import { registerSociety, signUp, superAdmin, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

const logger = pino({ level: 'silent' });
let t: TestApp;
let scheduler: Scheduler;
let root: Actor;
let trainer: Actor;

/** A job that runs until the test lets it go (or a stop request aborts it). */
let entered: () => void = () => undefined;
const slowJob: Job = {
  name: 'schedule_generation',
  schedule: '0 0 * * SUN',
  retry: { attempts: 1 },
  run: (signal) =>
    new Promise((resolve, reject) => {
      entered();
      signal.addEventListener('abort', () => reject(new Error('stopped by request')));
    }),
};
const quickJob: Job = {
  name: 'health_check',
  schedule: '0 0 * * *',
  timezone: 'Asia/Kolkata',
  run: async () => 'healthy',
};

beforeAll(async () => {
  t = await startTestApp({
    jobs: (db) => {
      scheduler = new Scheduler(db, [slowJob, quickJob], logger, { stopPollMs: 20 });
      return { scheduler, triggersPerMinute: 3 };
    },
  });
  root = await superAdmin(t);
  trainer = await signUp(t, 'trainer');
});
afterAll(async () => {
  await scheduler.stop();
  await t.dispose();
});

const post = (path: string, body: unknown, as: Actor = root) =>
  request(t.app)
    .post(`/api/v1${path}`)
    .set(...as.auth)
    .send(body as object);
const status = async () =>
  (
    await request(t.app)
      .get('/api/v1/cron-jobs/status')
      .set(...root.auth)
  ).body;

describe('job control API', () => {
  it('lists every task with its expression; a task never run is pending', async () => {
    const body = await status();
    expect(body.cron_jobs).toEqual([
      expect.objectContaining({
        task: 'schedule_generation',
        status: 'pending',
        cron_expression: '0 0 * * SUN',
        id: null,
      }),
      expect.objectContaining({ task: 'health_check', status: 'pending', cron_expression: '0 0 * * *' }),
    ]);
  });

  it('states the time zone each expression runs in (UTC unless the job says otherwise)', async () => {
    const body = await status();
    expect(body.cron_jobs).toEqual([
      expect.objectContaining({ task: 'schedule_generation', timezone: 'UTC' }),
      expect.objectContaining({ task: 'health_check', timezone: 'Asia/Kolkata' }),
    ]);
  });

  it('says what replacing schedule_generation’s expression does to the per-society Sunday rule', async () => {
    const admin = await signUp(t, 'society_admin');
    const eastOfUtc = await registerSociety(t, admin, { timezone: 'Asia/Kolkata' });
    const westOfUtc = await registerSociety(t, admin, { timezone: 'America/New_York' });
    const res = await post('/cron-schedule', { task: 'schedule_generation', cron_expression: '0 0 * * SUN' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', timezone: 'UTC' });
    expect(res.body.note).toMatch(/Sunday in its own time zone/);
    // Sunday 00:00 UTC is still Saturday evening in New York: that society's week would not be made then.
    expect(res.body.societies_not_reached).toContain(westOfUtc);
    expect(res.body.societies_not_reached).not.toContain(eastOfUtc);
  });

  it('triggers a run, refuses a second while it runs (409), and stops it by its task_id', async () => {
    const running = new Promise<void>((resolve) => (entered = resolve));
    const triggered = await post('/cron-jobs/trigger', { task: 'schedule_generation' });
    expect(triggered.status).toBe(202);
    expect(triggered.body).toMatchObject({ status: 'success', message: 'Cron job triggered successfully' });
    await running;
    const again = await post('/cron-jobs/trigger', { task: 'schedule_generation' });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/job-already-running$/);
    const listed = (await status()).cron_jobs.find((j: { task: string }) => j.task === 'schedule_generation');
    expect(listed).toMatchObject({ id: triggered.body.task_id, status: 'running', trigger: 'manual' });

    const stop = await post('/cron-jobs/stop', { task_id: triggered.body.task_id });
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ status: 'success', message: 'Cron job stopped successfully' });
    // The run's outcome is recorded once it has stopped; wait for it like a client polling status would.
    let final;
    do final = (await status()).cron_jobs.find((j: { task: string }) => j.task === 'schedule_generation');
    while (final.status === 'running');
    expect(final).toMatchObject({ status: 'stopped', error: 'stopped by request' });
    expect((await post('/cron-jobs/stop', { task_id: triggered.body.task_id })).status).toBe(409);
    expect((await post('/cron-jobs/stop', { task_id: '987654321' })).status).toBe(404);
  });

  it('rate-limits manual triggers per task across instances (429 with Retry-After)', async () => {
    await t.db
      .knex('job_runs')
      .insert(
        [1, 2, 3].map(() => ({ job: 'health_check', trigger: 'manual', outcome: 'succeeded', attempts: 1 })),
      );
    const res = await post('/cron-jobs/trigger', { task: 'health_check' });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sets a task’s cron expression, validated, for known tasks only', async () => {
    const ok = await post('/cron-schedule', { task: 'schedule_generation', cron_expression: '30 1 * * SUN' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'success', message: 'Cron job scheduled successfully' });
    const listed = (await status()).cron_jobs.find((j: { task: string }) => j.task === 'schedule_generation');
    expect(listed.cron_expression).toBe('30 1 * * SUN');
    const stored = await t.db.knex('cron_schedules').where({ task: 'schedule_generation' }).first();
    expect(stored).toMatchObject({ cron_expression: '30 1 * * SUN', updated_by: root.userId });

    expect(
      (await post('/cron-schedule', { task: 'schedule_generation', cron_expression: '61 * * * *' })).status,
    ).toBe(400);
    const unknown = await post('/cron-schedule', { task: 'make_coffee', cron_expression: '* * * * *' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toMatch(/unknown-task$/);
  });

  it('is for super admins only', async () => {
    expect((await post('/cron-jobs/trigger', { task: 'health_check' }, trainer)).status).toBe(403);
    expect((await request(t.app).get('/api/v1/cron-jobs/status')).status).toBe(401);
  });
});
