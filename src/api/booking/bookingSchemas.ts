import { z } from '../openapi/zod';
import { pageQuery, readQuery } from '../classes/classSchemas';
import { ATTENDANCE } from '../../events/booking/bookingEvents';

const uuid = z.string().uuid();

export const bookingIdParams = z.strictObject({ id: uuid });
export const memberIdParams = z.strictObject({ id: uuid });
export const memberBookingParams = z.strictObject({ id: uuid, booking_id: uuid });
export const eventIdParams = z.strictObject({ event_id: uuid });
export const classIdParams = z.strictObject({ id: uuid });
export const memberIdPathParams = z.strictObject({ member_id: uuid });

export { pageQuery, readQuery };

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

export const calendarQuery = z.strictObject({
  token: z.string().min(20).max(200).openapi({ description: 'The calendar token (from …/calendar-token)' }),
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

export const bookingListSchema = z
  .object({ bookings: z.array(bookingSchema), next_cursor: z.string().nullable() })
  .openapi('BookingList');

export const eventBookingsSchema = z
  .object({ event_id: uuid, bookings: z.array(bookingSchema) })
  .openapi('EventBookings');

export const waitlistSchema = z
  .object({
    event_id: uuid,
    waitlist: z.array(
      z.object({ id: uuid, member_id: uuid, status: z.literal('waitlist'), position: z.number().int() }),
    ),
  })
  .openapi('Waitlist');

export const calendarTokenSchema = z
  .object({
    token: z.string(),
    url: z
      .string()
      .openapi({ description: 'Subscribe to this in a calendar app; a new token replaces the old' }),
  })
  .openapi('CalendarToken');
