import { z } from '../openapi/zod';
import { minPosition } from '../http/requestSchemas';
import { plainText } from '../http/plainText';
import { moneyOut } from '../http/moneyJson';
import {
  DEFAULT_CANCELLATION_CUTOFF_MINUTES,
  DEFAULT_WEEKLY_BOOKING_LIMIT,
} from '../../events/societies/societyEvents';

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** A whole number in [min, max]; one message for every way a value can miss, naming the range. */
const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

const settings = {
  location: plainText(200).openapi({ example: 'Sector 62, Noida' }),
  max_members_per_event: z.number().int().min(1).max(500).openapi({ description: 'Seats per class at most' }),
  capacity: z.number().int().min(1).max(100_000).openapi({ description: 'Members the society can hold' }),
  timezone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Kolkata')
    .openapi({ example: 'Asia/Kolkata' }),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  weekly_booking_limit: wholeNumber(1, 50).openapi({
    description:
      'Bookings a member may make per week (Monday to Sunday in the society’s time zone); a waitlist place counts',
    example: DEFAULT_WEEKLY_BOOKING_LIMIT,
  }),
  cancellation_cutoff_minutes: wholeNumber(0, 10_080).openapi({
    description:
      'A member may cancel a confirmed booking until this many minutes before the class starts (admins at any time)',
    example: DEFAULT_CANCELLATION_CUTOFF_MINUTES,
  }),
};

const coordinatesTogether = (value: { latitude?: number | null; longitude?: number | null }) =>
  (value.latitude === undefined) === (value.longitude === undefined) &&
  (value.latitude === null) === (value.longitude === null);

export const createSocietyBody = z
  .strictObject({
    name: plainText(120).openapi({ example: 'Green Park Residency' }),
    location: settings.location,
    max_members_per_event: settings.max_members_per_event.default(20),
    capacity: settings.capacity.default(100),
    timezone: settings.timezone.default('Asia/Kolkata'),
    latitude: settings.latitude.optional(),
    longitude: settings.longitude.optional(),
    weekly_booking_limit: settings.weekly_booking_limit.default(DEFAULT_WEEKLY_BOOKING_LIMIT),
    cancellation_cutoff_minutes: settings.cancellation_cutoff_minutes.default(
      DEFAULT_CANCELLATION_CUTOFF_MINUTES,
    ),
  })
  .refine(coordinatesTogether, { message: 'latitude and longitude come together', path: ['latitude'] })
  .openapi('CreateSociety');

export const updateSocietyBody = z
  .strictObject({
    name: plainText(120),
    location: settings.location,
    max_members_per_event: settings.max_members_per_event,
    capacity: settings.capacity,
    timezone: settings.timezone,
    latitude: settings.latitude,
    longitude: settings.longitude,
    weekly_booking_limit: settings.weekly_booking_limit,
    cancellation_cutoff_minutes: settings.cancellation_cutoff_minutes,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change')
  .refine(coordinatesTogether, { message: 'latitude and longitude come together', path: ['latitude'] })
  .openapi('UpdateSociety');

export const listSocietiesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'ArcFit-Next-Cursor of the previous page (or follow its Link rel="next")' }),
  name: z.string().max(120).optional().openapi({ description: 'Only societies whose name contains this' }),
  min_position: minPosition,
});

export const societySchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    location: z.string(),
    max_members_per_event: z.number().int(),
    capacity: z.number().int(),
    revenue: moneyOut.optional().openapi({
      description:
        'Revenue collected (completed payments less refunds; 0 at creation). Only for the society’s admins and super admins; absent for anyone else',
      example: 12500,
    }),
    revenue_details: moneyOut.optional().openapi({
      description:
        'The same figure as revenue, under the name the spec’s schema gives it; shown to the same callers',
      example: 12500,
    }),
    currency: z.string().openapi({ example: 'INR' }),
    timezone: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    weekly_booking_limit: z
      .number()
      .int()
      .openapi({ description: 'Bookings a member may make per week (a waitlist place counts)' }),
    cancellation_cutoff_minutes: z.number().int().openapi({
      description: 'A member may cancel a confirmed booking until this many minutes before the class starts',
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Society');

export const societyListSchema = z.array(societySchema).openapi('SocietyList', {
  description:
    'A page of societies; the next page is in the Link (rel="next") and ArcFit-Next-Cursor headers',
});

export const acceptedSchema = z
  .object({ status: z.literal('accepted'), id: z.string(), position: z.string() })
  .openapi('Accepted', {
    description: 'Recorded; the read side has not caught up yet. GET with ?min_position=',
  });
