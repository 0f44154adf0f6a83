import type { ContractExample } from '../contractExample';

const ANSWER = { status: 'string', message: 'string' };

/** The cron gateway: scheduling, listing, triggering and stopping background tasks. */
export const jobExamples: ContractExample[] = [
  {
    name: 'jobs: set a task’s cron expression',
    section: 'cron gateway, schedule endpoint',
    role: 'super_admin',
    method: 'POST',
    path: '/cron-schedule',
    body: { cron_expression: '0 0 * * SUN', task: 'schedule_generation' },
    expectedStatus: '2xx',
    responseShape: ANSWER,
  },
  {
    name: 'jobs: status of the tasks',
    section: 'cron gateway, status endpoint',
    role: 'super_admin',
    method: 'GET',
    path: '/cron-jobs/status',
    expectedStatus: '2xx',
    responseShape: {
      cron_jobs: [{ id: 'string', task: 'string', status: 'string', last_run: 'string' }],
    },
    given: { runningJob: true },
  },
  {
    name: 'jobs: trigger a task now',
    section: 'cron gateway, trigger endpoint',
    role: 'super_admin',
    method: 'POST',
    path: '/cron-jobs/trigger',
    body: { task: 'send_notifications' },
    expectedStatus: '2xx',
    responseShape: ANSWER,
  },
  {
    name: 'jobs: stop a running task',
    section: 'cron gateway, stop endpoint',
    role: 'super_admin',
    method: 'POST',
    path: '/cron-jobs/stop',
    body: { task_id: '{task_id}' },
    expectedStatus: '2xx',
    responseShape: ANSWER,
    given: { runningJob: true },
  },
];
