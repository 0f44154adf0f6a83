import { withCronOverrides } from '../../src/scheduler/cronOverrides';
import { backoffDelayMs } from '../../src/scheduler/backoff';
import type { Job } from '../../src/scheduler/job';

const job = (name: string, schedule: string): Job => ({ name, schedule, run: async () => 'ok' });

describe('cron expressions from the environment', () => {
  it('CRON_<TASK> overrides that task’s default, and only that one', () => {
    const jobs = withCronOverrides(
      [job('booking_cleanup', '0 0,12 * * *'), job('health_check', '0 0 * * *')],
      {
        CRON_BOOKING_CLEANUP: '0 */6 * * *',
      },
    );
    expect(jobs.map((j) => [j.name, j.schedule])).toEqual([
      ['booking_cleanup', '0 */6 * * *'],
      ['health_check', '0 0 * * *'],
    ]);
  });

  it('refuses to start with an expression that would never fire', () => {
    expect(() =>
      withCronOverrides([job('health_check', '0 0 * * *')], { CRON_HEALTH_CHECK: 'every day' }),
    ).toThrow(/CRON_HEALTH_CHECK is not a cron expression/);
  });
});

describe('retry backoff', () => {
  it('doubles from the initial delay', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, 1000))).toEqual([1000, 2000, 4000, 8000]);
  });
});
