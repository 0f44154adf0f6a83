import type { Knex } from 'knex';

export interface WeeklyTrend {
  week: string;
  classes: number;
  seats: number;
  seats_taken: number;
  fill_rate: string | null;
  bookings: number;
  waitlist_size: number;
  attended: number;
  no_shows: number;
  cancellations: number;
}

export interface SocietyAnalytics {
  total_members: number;
  total_bookings: number;
  average_booking_rate: number | null;
  total_revenue: string;
  currency: string;
  revenue_by_currency: Array<{ currency: string; net: string }>;
  weekly_trends: WeeklyTrend[];
}

/**
 * Society analytics, from the read tables analysts see (docs/analytics.md has each definition):
 * approved members; bookings not canceled; seats taken over seats offered in classes not
 * canceled (percent); net revenue (completed payments less refunds) in the society's currency;
 * and the last `weeks` ISO weeks of `analytics.society_weekly_trends`.
 */
export const societyAnalytics = async (
  knex: Knex,
  societyId: string,
  weeks: number,
): Promise<SocietyAnalytics> => {
  const { rows } = await knex.raw<{
    rows: Array<{
      total_members: string;
      total_bookings: string;
      average_booking_rate: string | null;
      currency: string;
    }>;
  }>(
    `SELECT (SELECT count(*) FROM members WHERE society_id = :id AND status = 'approved') AS total_members,
            (SELECT count(*) FROM bookings WHERE society_id = :id AND status <> 'canceled') AS total_bookings,
            (SELECT round(100.0 * sum(max_members - seats_left) / nullif(sum(max_members), 0), 1)
               FROM classes WHERE society_id = :id AND status <> 'canceled') AS average_booking_rate,
            (SELECT currency FROM societies WHERE id = :id) AS currency`,
    { id: societyId },
  );
  const revenue = (await knex('revenue_entries')
    .where({ society_id: societyId })
    .select('currency')
    .select(knex.raw('sum(amount)::numeric(20,2)::text AS net'))
    .groupBy('currency')
    .orderBy('currency')) as Array<{ currency: string; net: string }>;
  const trends = (await knex('analytics.society_weekly_trends')
    .where({ society_id: societyId })
    .orderBy('week', 'desc')
    .limit(weeks)) as Array<WeeklyTrend & { society_id: string }>;
  const head = rows[0]!;
  const currency = head.currency ?? 'INR';
  return {
    total_members: Number(head.total_members),
    total_bookings: Number(head.total_bookings),
    average_booking_rate: head.average_booking_rate === null ? null : Number(head.average_booking_rate),
    total_revenue: revenue.find((r) => r.currency === currency)?.net ?? '0.00',
    currency,
    revenue_by_currency: revenue,
    weekly_trends: trends.reverse().map(({ society_id: _society, ...week }) => ({
      ...week,
      fill_rate: week.fill_rate === null ? null : String(week.fill_rate),
    })),
  };
};

export interface ClassAnalytics {
  society_id: string;
  attendance_count: number;
  no_show_count: number;
  total_bookings: number;
  waitlist_size: number;
  cancellations: number;
  revenue_generated: string;
  currency: string;
}

/**
 * One class's analytics. Members pay for subscriptions, not classes, so `revenue_generated` is
 * an allocation: the society's net revenue in the class's month divided by the bookings (not
 * canceled) of that month, times this class's bookings (not canceled). Exact to the cent of
 * the allocation, in numeric; documented as such for analysts.
 */
export const classAnalytics = async (knex: Knex, classId: string): Promise<ClassAnalytics | undefined> => {
  const { rows } = await knex.raw<{ rows: Array<Record<string, string | null>> }>(
    `WITH c AS (SELECT id, society_id, to_char(date, 'YYYY-MM') AS month FROM classes WHERE id = :id),
          mine AS (
            SELECT count(*) FILTER (WHERE attendance = 'present') AS attendance_count,
                   count(*) FILTER (WHERE attendance = 'no_show') AS no_show_count,
                   count(*) FILTER (WHERE status <> 'canceled') AS total_bookings,
                   count(*) FILTER (WHERE status = 'waitlist') AS waitlist_size,
                   count(*) FILTER (WHERE status = 'canceled') AS cancellations
              FROM bookings WHERE event_id = :id),
          month_bookings AS (
            SELECT count(*) AS n FROM bookings b JOIN classes k ON k.id = b.event_id, c
             WHERE k.society_id = c.society_id AND to_char(k.date, 'YYYY-MM') = c.month AND b.status <> 'canceled'),
          month_revenue AS (
            SELECT coalesce(sum(r.amount), 0) AS net FROM revenue_entries r, c, societies s
             WHERE r.society_id = c.society_id AND r.month = c.month AND s.id = c.society_id AND r.currency = s.currency)
     SELECT c.society_id, mine.*, s.currency,
            round(coalesce(month_revenue.net * mine.total_bookings / nullif(month_bookings.n, 0), 0), 2)::text
              AS revenue_generated
       FROM c JOIN societies s ON s.id = c.society_id, mine, month_bookings, month_revenue`,
    { id: classId },
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    society_id: row.society_id!,
    attendance_count: Number(row.attendance_count),
    no_show_count: Number(row.no_show_count),
    total_bookings: Number(row.total_bookings),
    waitlist_size: Number(row.waitlist_size),
    cancellations: Number(row.cancellations),
    revenue_generated: row.revenue_generated ?? '0.00',
    currency: row.currency ?? 'INR',
  };
};
