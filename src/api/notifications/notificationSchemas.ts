import { NOTIFICATION_TYPES, SCHEDULABLE_TYPES } from '../../events/notifications/notificationEvents';
import { parseClockTime } from '../../events/classes/classTime';
import { z } from '../openapi/zod';

/** `2030-02-31T10:00` and `25:00` fit the pattern: the calendar and the clock must agree too. */
const isRealDateTime = (text: string): boolean => {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const sameDay = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  const [hh, mm] = text.slice(11, 16).split(':').map(Number) as [number, number];
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(text);
  const offsetOk = !offset || (Number(offset[2]) <= 14 && Number(offset[3]) < 60);
  return sameDay && hh < 24 && mm < 60 && offsetOk && !Number.isNaN(Date.parse(text));
};

const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'canceled'] as const;

export const scheduleNotificationBody = z
  .strictObject({
    member_id: z.string().uuid(),
    event_id: z.string().uuid(),
    notification_type: z.enum(SCHEDULABLE_TYPES),
    scheduled_time: z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$/,
        'an ISO 8601 date-time',
      )
      .refine(isRealDateTime, 'a date and time that exist')
      .openapi({
        example: '2030-01-30T12:00:00',
        description:
          'Without an offset, a wall-clock time in the society’s time zone (as the spec writes it)',
      }),
  })
  .openapi('ScheduleNotification');

export const notificationSchema = z
  .object({
    id: z.string().uuid(),
    notification_id: z.string().uuid().openapi({ description: 'The same as id (the API contract’s name)' }),
    member_id: z.string().uuid().nullable(),
    event_id: z.string().uuid().nullable(),
    notification_type: z.enum(NOTIFICATION_TYPES),
    scheduled_time: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    subject: z.string(),
    body: z.string(),
    channels: z.array(
      z.object({
        channel: z.enum(['email', 'sms', 'in_app']),
        status: z.enum(['pending', 'sent', 'failed']),
        attempts: z.number().int(),
        message_id: z.string(),
        last_error: z.string().nullable(),
        sent_at: z.string().nullable(),
      }),
    ),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Notification');

/** Newest first; the next page is linked in the Link and ArcFit-Next-Cursor headers. */
export const notificationListSchema = z.array(notificationSchema).openapi('NotificationList');

export const notificationStatusSchema = z
  .object({
    status: z.enum(['pending', 'sent', 'failed']),
    notification_count: z.number().int(),
    pending: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    canceled: z.number().int(),
  })
  .openapi('NotificationStatus');

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const clock = z
  .string()
  .refine((t) => parseClockTime(t) !== null, 'a time like 22:00 or 10:00 PM')
  .transform((t) => parseClockTime(t)!);

export const preferencesBody = z
  .strictObject({
    email: z.boolean(),
    sms: z.boolean(),
    in_app: z.boolean(),
    quiet_hours: z
      .strictObject({
        start: clock,
        end: clock,
        timezone: z.string().refine((tz) => {
          try {
            new Intl.DateTimeFormat('en', { timeZone: tz });
            return true;
          } catch {
            return false;
          }
        }, 'an IANA time zone'),
      })
      .nullable(),
  })
  .partial()
  .openapi('NotificationPreferences');

export const preferencesSchema = z
  .object({
    email: z.boolean(),
    sms: z.boolean(),
    in_app: z.boolean(),
    quiet_hours: z.object({ start: z.string(), end: z.string(), timezone: z.string() }).nullable(),
  })
  .openapi('NotificationPreferencesAnswer');
