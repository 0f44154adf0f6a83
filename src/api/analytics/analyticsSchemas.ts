import { z } from '../openapi/zod';
import { moneyOut } from '../http/moneyJson';

export const societyAnalyticsQuery = z.strictObject({
  weeks: z.coerce
    .number()
    .int()
    .min(1)
    .max(104)
    .default(12)
    .openapi({ description: 'ISO weeks of trends, latest last' }),
});

export const weeklyTrendSchema = z
  .object({
    week: z.string().openapi({ description: 'ISO week of the classes’ society-local date, e.g. 2030-W10' }),
    classes: z.number().int(),
    seats: z.number().int(),
    seats_taken: z.number().int(),
    fill_rate: z.string().nullable().openapi({ description: 'Percent of seats taken, one decimal' }),
    bookings: z.number().int(),
    waitlist_size: z.number().int(),
    attended: z.number().int(),
    no_shows: z.number().int(),
    cancellations: z.number().int(),
  })
  .openapi('WeeklyTrend');

export const societyAnalyticsSchema = z
  .object({
    id: z.string().uuid().openapi({ description: 'The society (the spec’s name for it)' }),
    society_id: z.string().uuid(),
    total_members: z.number().int().openapi({ description: 'Approved members' }),
    total_bookings: z
      .number()
      .int()
      .openapi({ description: 'Bookings not canceled (confirmed or waitlisted)' }),
    average_booking_rate: z
      .number()
      .nullable()
      .openapi({ description: 'Seats taken over seats offered in classes not canceled, percent' }),
    total_revenue: moneyOut.openapi({ description: 'Completed payments less refunds, in `currency`' }),
    currency: z.string(),
    revenue_by_currency: z.array(z.object({ currency: z.string(), net: moneyOut })),
    weekly_trends: z.array(weeklyTrendSchema),
  })
  .openapi('SocietyAnalytics');

export const classAnalyticsSchema = z
  .object({
    event_id: z.string().uuid(),
    society_id: z.string().uuid(),
    attendance_count: z.number().int().openapi({ description: 'Bookings marked present' }),
    no_show_count: z.number().int(),
    total_bookings: z.number().int().openapi({ description: 'Bookings not canceled' }),
    waitlist_size: z.number().int(),
    cancellations: z.number().int(),
    revenue_generated: moneyOut.openapi({
      description:
        'Allocated: the society’s net revenue in the class’s month ÷ that month’s bookings × this class’s bookings',
    }),
    currency: z.string(),
  })
  .openapi('ClassAnalytics');
