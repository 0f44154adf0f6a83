import type { Knex } from 'knex';
import { ANALYST_ROLE } from './analystRole';

/**
 * The `analytics` schema analysts read with the read-only role: one view per documented read
 * table, personal columns left out, plus the weekly trends. Documented in docs/analytics.md —
 * keep the two in step. Views here depend on the `public` views of the projections, so they
 * are dropped before a projection switches version and created again after (tables.ts).
 */
export const ANALYST_VIEWS: ReadonlyArray<{ name: string; sources: readonly string[]; sql: string }> = [
  { name: 'societies', sources: ['societies'], sql: 'SELECT * FROM public.societies' },
  { name: 'classes', sources: ['classes'], sql: 'SELECT * FROM public.classes' },
  { name: 'bookings', sources: ['bookings'], sql: 'SELECT * FROM public.bookings' },
  {
    name: 'members',
    sources: ['members'],
    sql: `SELECT id, society_id, subscription_id, status, self_registered, onboarded_by, decided_by,
                 created_at, updated_at FROM public.members`,
  },
  {
    name: 'payments',
    sources: ['payments'],
    sql: `SELECT id, member_id, society_id, member_subscription_id, plan_id, plan_name, amount, currency,
                 payment_status, method, gateway, refunded_amount, payment_date, created_at, updated_at
            FROM public.payments`,
  },
  { name: 'revenue_entries', sources: ['revenue_entries'], sql: 'SELECT * FROM public.revenue_entries' },
  {
    name: 'society_weekly_trends',
    sources: ['classes', 'bookings'],
    sql: `
      WITH class_weeks AS (
        SELECT c.id, c.society_id, to_char(c.date, 'IYYY-"W"IW') AS week, c.max_members,
               c.max_members - c.seats_left AS seats_taken
          FROM public.classes c WHERE c.status <> 'canceled'
      ), booking_weeks AS (
        SELECT b.society_id, b.week,
               count(*) FILTER (WHERE b.status = 'waitlist') AS waitlist_size,
               count(*) FILTER (WHERE b.attendance = 'no_show') AS no_shows,
               count(*) FILTER (WHERE b.attendance = 'present') AS attended,
               count(*) FILTER (WHERE b.status = 'canceled') AS cancellations,
               count(*) AS bookings
          FROM public.bookings b GROUP BY b.society_id, b.week
      )
      SELECT w.society_id, w.week, count(w.id)::int AS classes, sum(w.max_members)::int AS seats,
             sum(w.seats_taken)::int AS seats_taken,
             round(100.0 * sum(w.seats_taken) / nullif(sum(w.max_members), 0), 1) AS fill_rate,
             coalesce(max(bw.bookings), 0)::int AS bookings,
             coalesce(max(bw.waitlist_size), 0)::int AS waitlist_size,
             coalesce(max(bw.attended), 0)::int AS attended,
             coalesce(max(bw.no_shows), 0)::int AS no_shows,
             coalesce(max(bw.cancellations), 0)::int AS cancellations
        FROM class_weeks w
        LEFT JOIN booking_weeks bw ON bw.society_id = w.society_id AND bw.week = w.week
       GROUP BY w.society_id, w.week`,
  },
];

const existing = async (trx: Knex.Transaction, relations: readonly string[]): Promise<boolean> => {
  const { rows } = await trx.raw<{ rows: Array<{ n: string }> }>(
    `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY(?)`,
    [[...relations]],
  );
  return Number(rows[0]?.n ?? 0) === relations.length;
};

/** Drops every analyst view (they would keep a projection's view from being replaced). */
export const dropAnalystViews = async (trx: Knex.Transaction): Promise<void> => {
  for (const view of ANALYST_VIEWS) await trx.raw('DROP VIEW IF EXISTS analytics.??', [view.name]);
};

/** Creates every analyst view whose sources exist and lets the analyst role read them. */
export const createAnalystViews = async (trx: Knex.Transaction): Promise<void> => {
  const { rows } = await trx.raw<{ rows: unknown[] }>(
    `SELECT 1 FROM pg_namespace WHERE nspname = 'analytics'`,
  );
  if (rows.length === 0) return;
  const { rows: role } = await trx.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_roles WHERE rolname = ?`, [
    ANALYST_ROLE,
  ]);
  for (const view of ANALYST_VIEWS) {
    if (!(await existing(trx, view.sources))) continue;
    await trx.raw(`CREATE OR REPLACE VIEW analytics.?? AS ${view.sql}`, [view.name]);
    if (role.length > 0) await trx.raw(`GRANT SELECT ON analytics.?? TO ${ANALYST_ROLE}`, [view.name]);
  }
};
