import pino from 'pino';
import { healthCheckJob } from '../../src/scheduler/jobs/healthCheckJob';
import { superAdmin, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

const logger = pino({ level: 'silent' });
// The test machine's load is not what these tests are about.
let t: TestApp;
let root: Actor;

beforeAll(async () => {
  t = await startTestApp();
  root = await superAdmin(t);
});
afterAll(async () => t.dispose());

const alertsToRoot = () =>
  t.db.knex('notifications').where({ notification_type: 'operations_alert', user_id: root.userId });

describe('health_check', () => {
  it('reports healthy when nothing failed and nothing is behind', async () => {
    const job = healthCheckJob(t.db.knex, t.engine, logger, { maxLoadPerCore: 1000 });
    expect(await job.run(new AbortController().signal)).toMatch(/^healthy/);
    expect(await alertsToRoot()).toHaveLength(0);
  });

  it('alerts super admins once a day about failed jobs and overdue deliveries', async () => {
    await t.db.knex('job_runs').insert({
      job: 'payment_status_check',
      trigger: 'scheduled',
      outcome: 'failed',
      attempts: 3,
      error: 'gateway down',
      finished_at: new Date(),
    });
    const [notice] = await t.db
      .knex('notifications')
      .insert({
        id: '00000000-0000-4000-8000-0000000000a1',
        notification_type: 'member_approved',
        recipient_kind: 'user',
        recipient_id: root.userId,
        email: 'someone@example.com',
        subject: 's',
        body: 'b',
        scheduled_time: new Date(Date.now() - 3600_000),
      })
      .returning('id');
    await t.db.knex('notification_deliveries').insert({
      notification_id: notice.id,
      channel: 'email',
      next_attempt_at: new Date(Date.now() - 3600_000),
      message_id: '<x>',
    });

    const job = healthCheckJob(t.db.knex, t.engine, logger, { maxLoadPerCore: 1000 });
    const summary = await job.run(new AbortController().signal);
    expect(summary).toContain('job payment_status_check failed 1 time(s)');
    expect(summary).toContain('1 delivery(ies) overdue by more than 15 min');
    const alerts = await alertsToRoot();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].body).toContain('job payment_status_check failed 1 time(s)');

    await job.run(new AbortController().signal);
    expect(await alertsToRoot()).toHaveLength(1);
  });
});
