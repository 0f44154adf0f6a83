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

describe('scheduler', () => {
  it('lets only one of two processes run a job at a time, and records every run', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const started = new Promise<void>((resolve) => (entered = resolve));
    const job: Job = {
      name: 'slow',
      schedule: '0 0 1 1 *',
      run: async () => {
        entered();
        await gate;
        return 'done';
      },
    };
    const first = new Scheduler(db, [job], logger);
    const second = new Scheduler(db, [job], logger);
    const running = first.runNow('slow');
    await started;
    expect(await second.runNow('slow')).toBe('skipped');
    release();
    expect(await running).toBe('succeeded');
    expect(await second.runNow('slow')).toBe('succeeded');
    const runs = await db.knex('job_runs').where({ job: 'slow' }).orderBy('id');
    expect(runs.map((r) => [r.outcome, r.detail, r.finished_at !== null])).toEqual([
      ['succeeded', 'done', true],
      ['succeeded', 'done', true],
    ]);
  });

  it('records a failed run with its error and keeps going', async () => {
    const failing: Job = {
      name: 'failing',
      schedule: '0 0 1 1 *',
      run: async () => {
        throw new Error('upstream down');
      },
    };
    const scheduler = new Scheduler(db, [failing], logger);
    expect(await scheduler.runNow('failing')).toBe('failed');
    const [run] = await db.knex('job_runs').where({ job: 'failing' });
    expect(run).toMatchObject({ outcome: 'failed', detail: 'upstream down' });
    await expect(scheduler.runNow('nope')).rejects.toThrow(/no job named nope/);
  });
});
