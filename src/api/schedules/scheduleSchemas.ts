import { z } from '../openapi/zod';
import { plainText } from '../http/plainText';
import { parseClockTime } from '../../events/classes/classTime';
import { addDays, isIsoWeek, isoWeekOf } from '../../commands/schedules/isoWeek';
import { weekdayOf } from '../../commands/trainers/availability';
import { calendarDate } from '../trainers/trainerSchemas';
import { MAX_TIME_LIMIT_SECONDS } from '../../commands/schedules/solveLimits';
import { WEEKDAYS } from '../../events/trainers/trainerEvents';

/** '07:30' or '7:30 AM' → minutes since midnight, society-local. */
const startTime = z
  .string()
  .max(10)
  .transform((s, ctx) => {
    const minutes = parseClockTime(s);
    if (minutes === null || minutes >= 1440) {
      ctx.addIssue({ code: 'custom', message: 'must be HH:mm (24 h) or h:mm AM/PM' });
      return z.NEVER;
    }
    return minutes;
  })
  .openapi({
    type: 'string',
    example: '07:30',
    description: 'Society-local wall clock; kept across DST changes',
  });

const weekday = z
  .string()
  .transform((s) => s.trim().slice(0, 3).toLowerCase())
  .pipe(z.enum(WEEKDAYS))
  .openapi({ type: 'string', example: 'mon', description: 'mon … sun (Monday, monday also accepted)' });

const durationMinutes = z.number().int().min(5).max(600).openapi({ example: 60 });
const maxMembers = z
  .number()
  .int()
  .min(1)
  .max(500)
  .openapi({ description: 'Seats; at most the society’s max_members_per_event' });

export const templateBody = z
  .strictObject({
    name: plainText(120),
    weekday,
    start_time: startTime,
    duration_minutes: durationMinutes,
    class_type: plainText(60).openapi({ example: 'yoga' }),
    max_members: maxMembers.default(20),
    preferred_trainer_id: z.string().uuid().nullable().default(null),
  })
  .refine((v) => v.start_time + v.duration_minutes <= 1440, {
    message: 'the class ends by midnight',
    path: ['duration_minutes'],
  })
  .openapi('CreateScheduleTemplate');

export const templateChangesBody = z
  .strictObject({
    name: plainText(120).optional(),
    weekday: weekday.optional(),
    start_time: startTime.optional(),
    duration_minutes: durationMinutes.optional(),
    class_type: plainText(60).optional(),
    max_members: maxMembers.optional(),
    preferred_trainer_id: z.string().uuid().nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'change at least one field' })
  .openapi('ChangeScheduleTemplate');

export const templateParams = z.strictObject({ id: z.string().uuid(), template_id: z.string().uuid() });

export const templateSchema = z
  .object({
    id: z.string().uuid(),
    society_id: z.string().uuid(),
    name: z.string(),
    weekday: z.enum(WEEKDAYS),
    start_time: z.string(),
    end_time: z.string(),
    duration_minutes: z.number().int(),
    class_type: z.string(),
    max_members: z.number().int(),
    preferred_trainer_id: z.string().uuid().nullable(),
    version: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('ScheduleTemplate');

export const templateListSchema = z
  .array(templateSchema)
  .openapi('ScheduleTemplateList', { description: 'Monday first' });

/** The Monday on or before a date, for telling a caller which week_start they meant. */
const mondayOf = (date: string) =>
  addDays(date, -['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(weekdayOf(date)));

export const weekBody = z
  .strictObject({
    week: z
      .string()
      .refine(isIsoWeek, 'must be an ISO week that exists, e.g. 2026-W49')
      .optional()
      .openapi({ example: '2026-W49', description: 'ISO 8601 week, Monday to Sunday, society-local dates' }),
    week_start: calendarDate
      .optional()
      .openapi({ example: '2026-11-30', description: 'Instead of week: the week’s Monday (society-local)' }),
    society_id: z.string().uuid().optional().openapi({
      description:
        'Left out: the one society a society admin administers (an admin of several names one); a super_admin without it plans every society',
    }),
    time_limit_seconds: z
      .number()
      .min(1)
      .max(MAX_TIME_LIMIT_SECONDS, `at most ${MAX_TIME_LIMIT_SECONDS} seconds`)
      .default(10)
      .openapi({
        description: `Solver budget, at most ${MAX_TIME_LIMIT_SECONDS} s; past it the best plan found is used`,
      }),
  })
  .superRefine((v, ctx) => {
    if ((v.week === undefined) === (v.week_start === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['week'],
        message: 'give week (e.g. 2026-W49) or week_start (its Monday), one of them',
      });
    // Only a real date has a weekday: a malformed one already carries its own issue.
    if (
      v.week_start !== undefined &&
      calendarDate.safeParse(v.week_start).success &&
      weekdayOf(v.week_start) !== 'mon'
    )
      ctx.addIssue({
        code: 'custom',
        path: ['week_start'],
        message: `${v.week_start} is a ${weekdayOf(v.week_start)}: that week starts on ${mondayOf(v.week_start)}`,
      });
  })
  .transform(({ week, week_start, ...rest }) => ({ ...rest, week: week ?? isoWeekOf(week_start!) }))
  .openapi('ScheduleWeekRequest');

const plannedClass = z.object({
  class_id: z.string().uuid(),
  society_id: z.string().uuid(),
  template_id: z.string().uuid(),
  name: z.string(),
  class_type: z.string(),
  date: z.string(),
  start_time: z.string(),
  end_time: z.string(),
  timezone: z.string(),
  starts_at: z.string(),
  ends_at: z.string(),
  max_members: z.number().int(),
  trainer_id: z.string().uuid().nullable(),
  preferred_trainer_id: z.string().uuid().nullable(),
  travel_km: z.number().nullable(),
});

const unstaffedSlot = plannedClass.extend({
  reason: z.string().openapi({
    description:
      'no-trainer-teaches-class-type, no-trainer-available, trainers-fully-booked (daily limit or overlap with travel), or the claim’s refusal type when another write won a race',
  }),
});

export const weekPlanSchema = z
  .object({
    week: z.string(),
    week_start: z.string().openapi({ description: 'The week’s Monday' }),
    society_ids: z.array(z.string().uuid()),
    assignments: z.array(plannedClass).openapi({ description: 'Classes with their trainer' }),
    unstaffed: z.array(unstaffedSlot),
    already_generated: z.array(plannedClass.omit({ trainer_id: true, travel_km: true })),
    in_the_past: z.array(plannedClass.omit({ trainer_id: true, travel_km: true })),
    cost: z.object({
      total: z.number(),
      travel_km: z.number(),
      balance: z.number(),
      preferences_missed: z.number().int(),
      unstaffed: z.number().int(),
      max_load: z.number().int(),
      min_load: z.number().int(),
    }),
    solver: z.object({
      method: z.enum(['mip', 'greedy', 'none']),
      status: z.string(),
      seconds: z.number(),
      gap: z.number().nullable(),
      variables: z.number().int(),
      constraints: z.number().int(),
    }),
  })
  .openapi('WeekPlan');

export const weekGenerationSchema = weekPlanSchema
  .extend({ created: z.array(z.string().uuid()).openapi({ description: 'Class ids this request created' }) })
  .openapi('WeekGeneration');
