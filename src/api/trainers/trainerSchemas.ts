import { z } from '../openapi/zod';
import { plainText } from '../http/plainText';
import { WEEKDAYS } from '../../events/trainers/trainerEvents';
import { availabilityProblems } from '../../commands/trainers/availability';
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
    user_id: z.string().uuid().openapi({ description: 'An existing account whose role is trainer' }),
    name: plainText(120).optional(),
    specialization: specialization.optional(),
    location: location.optional(),
    max_classes_per_day: maxClassesPerDay.default(3),
  })
  .openapi('CreateTrainer', {
    description: 'Fields left out are taken from the trainer’s account (name, email, phone, signup details)',
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

export const trainerIdParams = z.strictObject({ id: z.string().uuid() });

const minPosition = z
  .string()
  .max(50)
  .optional()
  .openapi({ description: 'Wait until the read side has reached this position' });

export const listTrainersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional().openapi({ description: 'next_cursor of the previous page' }),
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
    specialization: z.array(z.string()),
    location: z
      .object({
        address: z.string().nullable(),
        latitude: z.number().nullable(),
        longitude: z.number().nullable(),
      })
      .optional()
      .openapi({ description: `Where the trainer is based. ${contactOnly}` }),
    max_classes_per_day: z.number().int(),
    availability: availabilitySchema.nullable().openapi({ description: 'null until the trainer sets it' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Trainer');

export const trainerListSchema = z
  .object({ trainers: z.array(trainerSchema), next_cursor: z.string().nullable() })
  .openapi('TrainerList');

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
