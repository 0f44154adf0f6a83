import { z } from '../openapi/zod';
import { minPosition, pageFields } from '../http/requestSchemas';
import { plainText } from '../http/plainText';
import { parseClockTime } from '../../events/classes/classTime';
import { calendarDate } from '../trainers/trainerSchemas';

/** '09:00' or the spec's '10:00 AM' → minutes since midnight, society-local. */
const timeOfDay = z
  .string()
  .max(10)
  .transform((s, ctx) => {
    const minutes = parseClockTime(s);
    if (minutes === null) {
      ctx.addIssue({ code: 'custom', message: 'must be HH:mm (24 h) or h:mm AM/PM' });
      return z.NEVER;
    }
    return minutes;
  })
  .openapi({ type: 'string', example: '10:00 AM', description: 'Society-local; HH:mm or h:mm AM/PM' });

const maxMembers = z
  .number()
  .int()
  .min(1)
  .max(500)
  .openapi({ description: 'Seats; at most the society’s max_members_per_event' });

const classType = plainText(60).openapi({ description: 'Kind of class, e.g. yoga, dance', example: 'yoga' });

const endsAfterStart = (v: { start_time?: number; end_time?: number }) =>
  v.start_time === undefined || v.end_time === undefined || v.end_time > v.start_time;

/** `YYYY-MM-DD` (a society-local day), or an ISO 8601 instant (the updated event design's `date`). */
const dayOrInstant = z
  .string()
  .max(40)
  .refine(
    (s) => calendarDate.safeParse(s).success || z.string().datetime({ offset: true }).safeParse(s).success,
    'must be YYYY-MM-DD (a society-local day) or an ISO 8601 instant such as 2025-02-10T10:00:00Z',
  )
  .openapi({ example: '2026-03-02', description: 'A society-local day, or an instant (then give duration)' });

const isInstant = (s: string | undefined) => s !== undefined && s.includes('T');

export const createClassBody = z
  .strictObject({
    name: plainText(120),
    society_id: z
      .string()
      .uuid()
      .optional()
      .openapi({ description: 'Left out: the one society the admin administers' }),
    trainer_id: z.string().uuid().nullable().optional().openapi({ description: 'Assigned now if given' }),
    class_type: classType.optional().openapi({
      description:
        'Left out: the trainer’s specialization (the one the name mentions when they have several), else the name without “class”/“workshop”/“session”',
    }),
    date: dayOrInstant.optional(),
    event_date: calendarDate.optional().openapi({ description: 'Same as a day in date (the spec’s name)' }),
    start_time: timeOfDay.optional(),
    end_time: timeOfDay.optional(),
    duration: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .optional()
      .openapi({ description: 'Minutes; instead of end_time, or with date as an instant' }),
    location: plainText(200)
      .optional()
      .openapi({ description: 'Where in the society (a hall, a room)', example: 'Community Hall' }),
    max_members: maxMembers.default(20),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if ((v.date === undefined) === (v.event_date === undefined))
      issue('date', 'give date (or event_date), once');
    if (isInstant(v.date)) {
      if (v.duration === undefined) issue('duration', 'give duration (minutes) with date as an instant');
      if (v.start_time !== undefined || v.end_time !== undefined)
        issue(
          'start_time',
          'date is an instant: it says when the class starts; leave out start_time/end_time',
        );
      return;
    }
    if (v.start_time === undefined) issue('start_time', 'give start_time (the society’s local time)');
    if ((v.end_time === undefined) === (v.duration === undefined))
      issue('end_time', 'give end_time or duration, one of them');
    if (!endsAfterStart(v)) issue('end_time', 'end_time is after start_time, the same day');
  })
  .openapi('CreateEvent', {
    description:
      'Either a society-local day (date or event_date) with start_time and end_time (or duration), or date as an instant with duration (the updated event design).',
  });

/** The request's time, before the society's zone is known. */
export const requestedWhen = (body: z.infer<typeof createClassBody>) =>
  isInstant(body.date)
    ? { kind: 'instant' as const, at: new Date(body.date!), duration: body.duration! }
    : {
        kind: 'local' as const,
        date: (body.date ?? body.event_date)!,
        start: body.start_time!,
        end: body.end_time,
        duration: body.duration,
      };

export const updateClassBody = z
  .strictObject({
    name: plainText(120),
    class_type: classType,
    max_members: maxMembers,
    date: calendarDate,
    start_time: timeOfDay,
    end_time: timeOfDay,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change')
  .refine(endsAfterStart, { message: 'end_time is after start_time, the same day', path: ['end_time'] })
  .openapi('UpdateEvent', {
    description: 'A change of date or times reschedules the class (and moves its trainer’s claim)',
  });

export const cancelClassBody = z.strictObject({ reason: plainText(500) }).openapi('CancelEvent');

export const assignTrainerBody = z.strictObject({ event_id: z.string().uuid() }).openapi('AssignTrainer');

const httpsUrl = z
  .string()
  .max(2000)
  .url()
  .refine((s) => s.startsWith('https://'), 'must be an https URL');

const activityFields = {
  order: z.number().int().min(1).openapi({ description: '1-based position; others shift to keep 1..n' }),
  name: plainText(120),
  duration: z.number().int().min(1).max(1440).openapi({ description: 'Minutes' }),
  description: z.string().trim().max(4000).nullable(),
  tracks: z.array(plainText(300)).max(50),
  media_url: httpsUrl.nullable(),
};

export const addActivityBody = z
  .strictObject({
    ...activityFields,
    order: activityFields.order.optional().openapi({ description: '1-based; appended when left out' }),
    description: activityFields.description.optional(),
    tracks: activityFields.tracks.default([]),
    media_url: activityFields.media_url.optional(),
  })
  .openapi('AddActivity');

export const changeActivityBody = z
  .strictObject(activityFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change')
  .openapi('ChangeActivity');

export const activityParams = z.strictObject({ id: z.string().uuid(), activity_id: z.string().uuid() });
export const participantsParams = z.strictObject({ id: z.string().uuid(), event_id: z.string().uuid() });

export const listClassesQuery = z
  .strictObject({
    society_id: z
      .string()
      .uuid()
      .optional()
      .openapi({ description: 'A member sees their own society’s classes only (the default for them)' }),
    from: calendarDate.optional().openapi({ description: 'Society-local date, inclusive' }),
    to: calendarDate.optional().openapi({ description: 'Society-local date, inclusive' }),
    ...pageFields,
    min_position: minPosition,
  })
  .openapi({ description: 'from is not after to' });

export const progressQuery = z.strictObject({
  at: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: 'The instant to report for (default: now)' }),
  min_position: minPosition,
});

export const classSchema = z
  .object({
    id: z.string().uuid(),
    event_id: z.string().uuid().openapi({ description: 'Same as id (the spec’s list name)' }),
    name: z.string(),
    society_id: z.string().uuid(),
    trainer_id: z.string().uuid().nullable().openapi({ description: 'null until a trainer is assigned' }),
    class_type: z.string(),
    date: z.string().openapi({ description: 'Society-local date' }),
    event_date: z.string().openapi({ description: 'Same as date (the spec’s name)' }),
    start_time: z.string().openapi({ description: 'HH:mm, society-local' }),
    end_time: z.string().openapi({ description: 'HH:mm, society-local' }),
    duration: z.number().int().openapi({ description: 'Minutes' }),
    location: z.string().nullable().openapi({ description: 'Where in the society; null when not given' }),
    timezone: z.string(),
    starts_at: z.string().openapi({ description: 'ISO 8601 instant' }),
    ends_at: z.string(),
    max_members: z.number().int(),
    seats_left: z.number().int().openapi({
      description: 'Equals max_members for now: bookings arrive with a later issue and will count against it',
    }),
    status: z
      .enum(['scheduled', 'ongoing', 'completed', 'canceled'])
      .openapi({ description: 'canceled is recorded; ongoing/completed follow from the clock' }),
    cancel_reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Event');

export const classListSchema = z.array(classSchema).openapi('EventList', {
  description: 'A page of classes; the next page is in the Link (rel="next") and ArcFit-Next-Cursor headers',
});

export const activitySchema = z
  .object({
    id: z.string().uuid(),
    order: z.number().int(),
    name: z.string(),
    duration: z.number().int(),
    description: z.string().nullable(),
    tracks: z.array(z.string()),
    media_url: z.string().nullable(),
  })
  .openapi('Activity');

export const activityListSchema = z.array(activitySchema).openapi('ActivityList', {
  description: 'A class’s activities in running order',
});

export const activityChangedSchema = z
  .object({
    id: z.string().uuid().openapi({ description: 'The activity’s id' }),
    status: z.string().openapi({ description: '“Added” or “Updated”' }),
    message: z.string(),
    event_id: z.string().uuid(),
    activity: activitySchema,
    activities: z.array(activitySchema).openapi({ description: 'Every activity of the class, in order' }),
  })
  .openapi('ActivityChanged');

export const progressSchema = z
  .object({
    event_id: z.string().uuid(),
    at: z.string(),
    state: z.enum(['canceled', 'not_started', 'running', 'finished']),
    minutes_to_start: z.number().int().optional(),
    minutes_into_class: z.number().int().optional(),
    minutes_left_in_class: z.number().int().optional(),
    activity: z
      .object({
        id: z.string().uuid(),
        order: z.number().int(),
        name: z.string(),
        tracks: z.array(z.string()),
        minutes_left: z.number().int(),
      })
      .nullable()
      .optional()
      .openapi({ description: 'The activity running now; null when the planned activities are over' }),
  })
  .openapi('EventProgress');

export const suggestionsSchema = z
  .array(
    z.object({
      trainer_id: z.string().uuid(),
      name: z.string(),
      specialization: z.string().openapi({ description: 'The first of specializations (the spec’s string)' }),
      specializations: z.array(z.string()),
      distance_km: z.number().nullable().openapi({ description: 'null when the society has no coordinates' }),
      classes_that_day: z.number().int(),
      max_classes_per_day: z.number().int(),
    }),
  )
  .openapi('TrainerSuggestions', { description: 'Nearest first, then least busy that day' });

export const assignmentSchema = z
  .object({ trainer_id: z.string().uuid(), event_id: z.string().uuid(), assigned_at: z.string() })
  .openapi('TrainerAssignment');

export const participantsSchema = z
  .array(z.object({ member_id: z.string().uuid(), name: z.string() }))
  .openapi('EventParticipants', { description: 'The members holding a confirmed seat, in booking order' });
