import cron from 'node-cron';
import { z } from '../openapi/zod';

const task = z.string().trim().min(1).max(100).openapi({ example: 'send_notifications' });

export const cronScheduleBody = z
  .strictObject({
    cron_expression: z
      .string()
      .trim()
      .max(100)
      .refine((e) => cron.validate(e), 'a cron expression (5 fields, or 6 with seconds)')
      .openapi({ example: '0 0 * * SUN' }),
    task,
  })
  .openapi('CronSchedule');

export const triggerBody = z.strictObject({ task }).openapi('CronTrigger');
export const stopBody = z
  .strictObject({ task_id: z.string().regex(/^\d{1,18}$/, 'a run id from GET /cron-jobs/status') })
  .openapi('CronStop');

export const jobAnswerSchema = z
  .object({ status: z.literal('success'), message: z.string() })
  .catchall(z.unknown())
  .openapi('CronAnswer');

export const cronJobsSchema = z
  .object({
    cron_jobs: z.array(
      z.object({
        id: z
          .string()
          .nullable()
          .openapi({ description: 'The latest run’s id (the task_id /cron-jobs/stop takes)' }),
        task: z.string(),
        status: z.enum(['pending', 'running', 'completed', 'failed', 'stopped']),
        last_run: z.string().nullable(),
        cron_expression: z.string(),
        timezone: z
          .string()
          .openapi({ description: 'The IANA zone the expression runs in (UTC unless the job says)' }),
        note: z
          .string()
          .optional()
          .openapi({ description: 'What the expression means for this task, where it is not obvious' }),
        next_run: z.string().nullable(),
        trigger: z.enum(['scheduled', 'manual']).nullable(),
        attempts: z.number().int().nullable(),
        finished_at: z.string().nullable(),
        error: z.string().nullable(),
        detail: z.string().nullable(),
      }),
    ),
  })
  .openapi('CronJobs');
