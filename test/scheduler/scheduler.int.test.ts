import pino from 'pino';
import { Scheduler } from '../../src/scheduler/scheduler';
import type { Job } from '../../src/scheduler/job';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.dispose());

const logger = pino({ level: 'silent' });
const never = '0 0 1 1 *';

/** A promise and the function that resolves it. */
const signal = () => {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
};

describe('scheduler', () => {
  it('lets only one of two processes run a job at a time, and records every run', async () => {
    const gate = signal();
    const entered = signal();
    const job: Job = {
      name: 'slow',
      schedule: never,
      run: async () => {
        entered.fire();
        await gate.fired;
        return 'done';
      },
    };
    const first = new Scheduler(db, [job], logger);
    const second = new Scheduler(db, [job], logger);
    const running = first.runNow('slow');
    await entered.fired;
    expect(await second.runNow('slow')).toBe('skipped');
    gate.fire();
    expect(await running).toBe('succeeded');
    expect(await second.runNow('slow')).toBe('succeeded');
    const runs = await db.knex('job_runs').where({ job: 'slow' }).orderBy('id');
    expect(runs.map((r) => [r.trigger, r.outcome, r.detail, r.attempts, r.finished_at !== null])).toEqual([
      ['manual', 'succeeded', 'done', 1, true],
      ['manual', 'succeeded', 'done', 1, true],
    ]);
  });

  it('two instances on one database fire a scheduled job once per tick', async () => {
    const calls: Date[] = [];
    const enough = signal();
    const job: Job = {
      name: 'every_second',
      schedule: '* * * * * *',
      run: async () => {
        calls.push(new Date());
        if (calls.length === 3) enough.fire();
        return `call ${calls.length}`;
      },
    };
    const instances = [new Scheduler(db, [job], logger), new Scheduler(db, [job], logger)];
    instances.forEach((s) => s.start());
    await enough.fired;
    await Promise.all(instances.map((s) => s.stop()));
    const runs = await db.knex('job_runs').where({ job: 'every_second' }).orderBy('scheduled_for');
    expect(runs.length).toBe(calls.length);
    expect(runs.every((r) => r.trigger === 'scheduled' && r.outcome === 'succeeded')).toBe(true);
    const ticks = runs.map((r) => (r.scheduled_for as Date).getTime());
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it('retries a failing attempt with backoff and records how many attempts it took', async () => {
    let calls = 0;
    const flaky: Job = {
      name: 'flaky',
      schedule: never,
      retry: { attempts: 3, initialDelayMs: 5 },
      run: async () => {
        calls += 1;
        if (calls < 3) throw new Error(`upstream down (${calls})`);
        return 'recovered';
      },
    };
    const scheduler = new Scheduler(db, [flaky], logger);
    expect(await scheduler.runNow('flaky')).toBe('succeeded');
    const [run] = await db.knex('job_runs').where({ job: 'flaky' });
    expect(run).toMatchObject({ outcome: 'succeeded', attempts: 3, detail: 'recovered', error: null });
  });

  it('records a run that fails every attempt with its error, and keeps going', async () => {
    const failing: Job = {
      name: 'failing',
      schedule: never,
      retry: { attempts: 2, initialDelayMs: 1 },
      run: async () => {
        throw new Error('upstream down');
      },
    };
    const scheduler = new Scheduler(db, [failing], logger);
    expect(await scheduler.runNow('failing')).toBe('failed');
    const [run] = await db.knex('job_runs').where({ job: 'failing' });
    expect(run).toMatchObject({ outcome: 'failed', attempts: 2, error: 'upstream down' });
    await expect(scheduler.runNow('nope')).rejects.toThrow(/no job named nope/);
  });

  it('stops a running job when asked from another instance', async () => {
    const entered = signal();
    const waitsForStop: Job = {
      name: 'long',
      schedule: never,
      run: (abort) =>
        new Promise((_resolve, reject) => {
          entered.fire();
          abort.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    };
    const runner = new Scheduler(db, [waitsForStop], logger, { stopPollMs: 20 });
    const api = new Scheduler(db, [waitsForStop], logger);
    const running = runner.runNow('long');
    await entered.fired;
    const [{ id }] = await db.knex('job_runs').where({ job: 'long', outcome: 'running' });
    expect(await api.requestStop(String(id))).toBe('stopping');
    expect(await running).toBe('stopped');
    expect(await api.requestStop(String(id))).toBe('not-running');
    expect(await api.requestStop('999999')).toBe('not-found');
  });

  it('applies an expression set on one instance to the others', async () => {
    const job: Job = { name: 'tunable', schedule: never, run: async () => 'ok' };
    const a = new Scheduler(db, [job], logger);
    const b = new Scheduler(db, [job], logger);
    b.start();
    await a.setSchedule('tunable', '0 3 * * *', null);
    expect((await a.status())[0]?.cronExpression).toBe('0 3 * * *');
    await expect(a.setSchedule('tunable', 'not cron', null)).rejects.toThrow(/invalid cron/);
    await b.reloadSchedules(); // what b's refresh timer does every 30 s
    const [status] = await b.status();
    expect(status?.cronExpression).toBe('0 3 * * *');
    expect(status?.nextRun).not.toBeNull();
    await b.stop();
  });
});
