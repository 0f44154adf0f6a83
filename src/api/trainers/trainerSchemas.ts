import { z } from '../openapi/zod';
import { minPosition, pageFields } from '../http/requestSchemas';
import { plainText } from '../http/plainText';
import { WEEKDAYS } from '../../events/trainers/trainerEvents';
import { availabilityProblems } from '../../commands/trainers/availability';
import { parseClockTime } from '../../events/classes/classTime';
import { MAX_CLASSES_PER_DAY_LIMIT } from '../../commands/trainers/trainerDecider';

const isCalendarDate = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real date')
  .openapi({ example: '2026-03-02' });

/** 'HH:mm' (24 h, 00:00–24:00) → minutes since midnight. */
const wallClock = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:mm, 00:00 to 24:00')
  .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5)))
  .openapi({ type: 'string', example: '07:30' });

const specialization = z
  .array(plainText(60))
  .min(1)
  .max(10)
  .openapi({ description: 'Kinds of class taught (matched case-insensitively)', example: ['Yoga', 'Zumba'] });

const location = z.strictObject({
  address: plainText(200).nullable().optional(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

const maxClassesPerDay = z
  .number()
  .int()
  .min(1)
  .max(MAX_CLASSES_PER_DAY_LIMIT)
  .openapi({ description: 'Classes the trainer takes per day at most' });

export const createTrainerBody = z
  .strictObject({
    user_id: z.string().uuid().optional().openapi({
      description:
        'An existing account whose role is trainer; left out, name and email describe a new trainer',
    }),
    name: plainText(120).optional(),
    email: z.string().trim().max(254).email().optional().openapi({ example: 'jane.doe@example.com' }),
    phone_number: z.string().trim().min(5).max(32).optional().openapi({ example: '+91 98765 43210' }),
    specialization: z
      .union([plainText(60), specialization])
      .optional()
      .openapi({ description: 'One kind of class (the spec’s "Yoga") or several', example: 'Yoga' }),
    location: z
      .union([plainText(200), location])
      .optional()
      .openapi({
        description:
          'Where the trainer is based: a place name (the spec’s "Society A"; coordinates then come from the society) or {address, latitude, longitude}',
        example: 'Society A',
      }),
    society_id: z
      .string()
      .uuid()
      .optional()
      .openapi({ description: 'The society adding the trainer; left out, the admin’s one society' }),
    max_classes_per_day: maxClassesPerDay.default(3),
  })
  .refine((v) => v.user_id !== undefined || (v.name !== undefined && v.email !== undefined), {
    message: 'give user_id (an existing trainer account), or name and email (a new trainer)',
    path: ['email'],
  })
  .openapi('CreateTrainer', {
    description:
      'With user_id: fields left out are taken from the trainer’s account. Without: the spec’s body (name, email, phone_number, specialization, location, max_classes_per_day) describes a trainer without an account yet.',
  });

export const updateTrainerBody = z
  .strictObject({
    name: plainText(120),
    specialization,
    location,
    max_classes_per_day: maxClassesPerDay.openapi({ description: 'Only a super_admin changes this' }),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change')
  .openapi('UpdateTrainer');

const window = { start: wallClock, end: wallClock };

export const availabilityBody = z
  .strictObject({
    weekly: z
      .array(z.strictObject({ weekday: z.enum(WEEKDAYS), ...window }))
      .max(70)
      .default([]),
    slots: z
      .array(z.strictObject({ date: calendarDate, ...window }))
      .max(400)
      .default([]),
    unavailable: z.array(calendarDate).max(400).default([]),
  })
  .superRefine((value, ctx) => {
    for (const message of availabilityProblems(value)) ctx.addIssue({ code: 'custom', message });
  })
  .openapi('TrainerAvailability', {
    description:
      'Replaces the whole availability. Times are wall-clock HH:mm local to the society where a ' +
      'class happens (no time zone: a trainer teaching in two zones means each society’s local ' +
      'time). Dated slots add to the weekly pattern on their date; an unavailable date overrides both.',
  });

/** '10:00 AM - 11:00 AM' (the trainer design's slot) → minutes since midnight, society-local. */
const slotText = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const [from, to, ...rest] = text.split(/\s*[-–]\s*/);
    const start = from === undefined ? null : parseClockTime(from);
    const end = to === undefined ? null : parseClockTime(to);
    if (rest.length > 0 || start === null || end === null || end <= start) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a time range such as "10:00 AM - 11:00 AM" (end after start)',
      });
      return z.NEVER;
    }
    return { start, end };
  })
  .openapi({ type: 'string', example: '10:00 AM - 11:00 AM' });

/** The trainer design's body: the windows one date has (none: unavailable that date). */
export const dayAvailabilityBody = z
  .strictObject({
    event_date: calendarDate,
    available_slots: z.array(slotText).max(48),
  })
  .openapi('TrainerDayAvailability', {
    description:
      'The trainer’s windows on one date, society-local; other dates and the weekly pattern are kept. An empty list marks the date unavailable.',
  });

export const anyAvailabilityBody = z.union([dayAvailabilityBody, availabilityBody]);

export const listTrainersQuery = z.strictObject({
  ...pageFields,
  specialization: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .optional()
    .openapi({ description: 'Only trainers who teach this (case-insensitive)' }),
  min_position: minPosition,
});

export const getTrainerQuery = z.strictObject({ min_position: minPosition });

export const scheduleQuery = z.strictObject({ date: calendarDate, min_position: minPosition });

const availabilityWindow = { start: z.string(), end: z.string() };
export const availabilitySchema = z
  .object({
    weekly: z.array(z.object({ weekday: z.enum(WEEKDAYS), ...availabilityWindow })),
    slots: z.array(z.object({ date: z.string(), ...availabilityWindow })),
    unavailable: z.array(z.string()),
  })
  .openapi('TrainerAvailabilityView');

const contactOnly =
  'Contact detail: shown to super admins, the trainer themself and admins of a society the trainer teaches in; absent for anyone else.';

export const trainerSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    email: z.string().optional().openapi({ description: contactOnly }),
    phone_number: z.string().nullable().optional().openapi({ description: contactOnly }),
    specialization: z.string().openapi({ description: 'The first of specializations (the spec’s string)' }),
    specializations: z.array(z.string()).openapi({ description: 'Every kind of class the trainer teaches' }),
    location: z
      .string()
      .optional()
      .openapi({ description: `Where the trainer is based, as a place (the spec’s string). ${contactOnly}` }),
    home_location: z
      .object({
        address: z.string().nullable(),
        latitude: z.number().nullable(),
        longitude: z.number().nullable(),
      })
      .optional()
      .openapi({ description: `location with its coordinates (null for a place name only). ${contactOnly}` }),
    society_id: z
      .string()
      .uuid()
      .nullable()
      .openapi({ description: 'The society whose admin added the trainer; null when they signed up' }),
    max_classes_per_day: z.number().int(),
    availability: availabilitySchema.nullable().openapi({ description: 'null until the trainer sets it' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Trainer');

export const trainerListSchema = z.array(trainerSchema).openapi('TrainerList', {
  description: 'A page of trainers; the next page is in the Link (rel="next") and ArcFit-Next-Cursor headers',
});

export const dayAvailabilitySchema = trainerSchema
  .extend({
    event_date: z.string(),
    available_slots: z
      .array(z.string())
      .openapi({ description: 'The date’s windows, "10:00 AM - 11:00 AM"' }),
  })
  .openapi('TrainerDayAvailabilityView');

export const scheduleSchema = z
  .object({
    trainer_id: z.string().uuid(),
    date: z.string(),
    max_classes_per_day: z.number().int(),
    slots: z.array(
      z.object({
        class_id: z.string(),
        society_id: z.string(),
        start: z.string().openapi({ description: 'HH:mm local to the society' }),
        end: z.string(),
      }),
    ),
  })
  .openapi('TrainerSchedule');
