import { z } from '../openapi/zod';
import { uuid } from '../http/requestSchemas';
import { ATTENDANCE } from '../../events/booking/bookingEvents';

export const memberBookingParams = z.strictObject({ id: uuid, booking_id: uuid });
export const eventIdParams = z.strictObject({ event_id: uuid });
/** The spec's GET /bookings/{member_id}, named `id` like DELETE /bookings/{id} on the same path. */
export const memberIdPathParams = z.strictObject({
  id: uuid.openapi({ description: 'The member’s id (the spec calls it member_id)' }),
});

/** Members book for themselves (member_id may be left out); an admin names the member. */
export const createBookingBody = z
  .strictObject({
    event_id: uuid,
    member_id: uuid.optional().openapi({ description: 'Required when an admin books for a member' }),
  })
  .openapi('CreateBooking');
export const memberBookingBody = z.strictObject({ event_id: uuid }).openapi('BookEvent');
export const eventBookingBody = z
  .strictObject({
    member_id: uuid.optional().openapi({ description: 'Required when an admin books for a member' }),
  })
  .openapi('BookMemberForEvent');

export const attendanceBody = z.strictObject({ attendance: z.enum(ATTENDANCE) }).openapi('MarkAttendance');

export const calendarQuery = z.object({
  token: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: 'The calendar token (from …/calendar-token); a wrong or missing one is 404' }),
});

const status = z.enum(['confirmed', 'waitlist', 'canceled']);

export const bookingSchema = z
  .object({
    id: uuid,
    member_id: uuid,
    event_id: uuid,
    event_name: z.string().nullable(),
    starts_at: z.string().nullable(),
    booking_date: z.string().openapi({ example: '2026-03-01' }),
    status,
    waitlist_position: z.number().int().nullable().openapi({ description: 'Place in the queue (1 = next)' }),
    attendance: z.enum(ATTENDANCE).nullable(),
    canceled_at: z.string().nullable(),
    cancel_reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Booking');

export const bookingListSchema = z.array(bookingSchema).openapi('BookingList', {
  description: 'A page of bookings; the next page is in the Link (rel="next") and ArcFit-Next-Cursor headers',
});

export const eventBookingsSchema = z.array(bookingSchema).openapi('EventBookings', {
  description: 'Confirmed in booking order, then the waitlist in order, then canceled',
});

export const waitlistSchema = z
  .array(z.object({ id: uuid, member_id: uuid, status: z.literal('waitlist'), position: z.number().int() }))
  .openapi('Waitlist', { description: 'Position 1 first' });

export const calendarTokenSchema = z
  .object({
    token: z.string(),
    url: z.string().openapi({
      description:
        'Absolute: subscribe to this in a calendar app (origin from PUBLIC_BASE_URL, else the request’s host); a new token replaces the old',
    }),
    path: z.string().openapi({ description: 'The same URL without its origin' }),
  })
  .openapi('CalendarToken');
