import type { Knex } from 'knex';
import {
  DEFAULT_CANCELLATION_CUTOFF_MINUTES,
  DEFAULT_WEEKLY_BOOKING_LIMIT,
} from '../../events/societies/societyEvents';
import { runNamed, statementName, type NamedStatement } from '../namedQuery';

export interface SocietyRow {
  id: string;
  name: string;
  location: string;
  max_members_per_event: number;
  capacity: number;
  /** Null where the list was not asked for it (a society the caller does not administer). */
  revenue_details: string | null;
  currency: string;
  timezone: string;
  latitude: number | null;
  longitude: number | null;
  weekly_booking_limit: number;
  cancellation_cutoff_minutes: number;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/**
 * Where the list and the lookups read a society from: the `societies` view, each row with its
 * booking settings as `booking_limit` and `cutoff`. While version 2 of the projection rebuilds,
 * the view still shows version 1's table, which has no such columns, and naming them outright
 * would fail every society lookup (signup, payments …) until the switch. So the lateral subquery
 * names them unqualified: PostgreSQL resolves a column in the innermost FROM that has it, and only
 * when the view lacks it in the enclosing FROM, `absent`, whose NULLs the select list defaults.
 * Why not `to_jsonb(s) ->> '…'` (as before): it turned the whole row into JSON twice per row, more
 * than half of a 50-society page's time in the database. A view switched to another version is
 * re-analysed with the statement, so the same text reads the columns as soon as they exist.
 */
const SOCIETIES_WITH_SETTINGS = `(SELECT NULL::int AS weekly_booking_limit, NULL::int AS cancellation_cutoff_minutes) AS absent
  CROSS JOIN LATERAL (
    SELECT societies.*, weekly_booking_limit AS booking_limit, cancellation_cutoff_minutes AS cutoff
      FROM societies
  ) AS s`;

/**
 * The `societies` view with `revenue_details` taken from billing's `revenue_entries` (completed
 * payments minus refunds in the society's currency): the societies table's own column was never
 * written, so every society showed 0.00 however much it had taken. The sum runs for the page's
 * rows only (evaluated above the ORDER BY … LIMIT's index scan), each an index-only scan of its
 * society's entries (revenue_entries (society_id, currency, amount)).
 */
const REVENUE = `coalesce((SELECT sum(r.amount) FROM revenue_entries r
                  WHERE r.society_id = s.id AND r.currency = s.currency), 0)::numeric(14,2)::text`;

const societiesWith = (knex: Knex, revenue: Knex.Raw) =>
  knex<SocietyRow>(knex.raw(SOCIETIES_WITH_SETTINGS)).select(
    's.id',
    's.name',
    's.location',
    's.max_members_per_event',
    's.capacity',
    's.currency',
    's.timezone',
    's.latitude',
    's.longitude',
    knex.raw(`coalesce(s.booking_limit, ?) AS weekly_booking_limit`, [DEFAULT_WEEKLY_BOOKING_LIMIT]),
    knex.raw(`coalesce(s.cutoff, ?) AS cancellation_cutoff_minutes`, [DEFAULT_CANCELLATION_CUTOFF_MINUTES]),
    's.created_by',
    's.version',
    's.created_at',
    's.updated_at',
    revenue,
  );

const societiesWithRevenue = (knex: Knex) => societiesWith(knex, knex.raw(`${REVENUE} AS revenue_details`));

/** Reads the `societies` view (the active projection version). */
export const findSociety = (knex: Knex, id: string): Promise<SocietyRow | undefined> =>
  societiesWithRevenue(knex).where('s.id', id).first();

/** The select every list starts from: the same text every time, so built once. */
let baseSelect: { sql: string; bindings: readonly unknown[] } | undefined;

/**
 * The list as knex wrote it, by hand: GET /societies is the busiest anonymous read, so it is a
 * named statement (one per combination of filters, each planned once per connection). Revenue is
 * summed only for the societies in `revenueOf` (CASE evaluates its subquery only where it holds):
 * an anonymous page used to sum every listed society's revenue, only for the route to drop it.
 */
const societyListStatement = (
  knex: Knex,
  { limit, after, nameContains, revenueOf }: SocietyListFilter,
): { statement: NamedStatement; values: unknown[] } => {
  baseSelect ??= societiesWith(
    knex,
    knex.raw(`CASE WHEN ?::boolean OR s.id = ANY(?::uuid[]) THEN ${REVENUE} END AS revenue_details`, [
      false,
      [],
    ]),
  )
    .toSQL()
    .toNative();
  const { sql, bindings } = baseSelect;
  // The revenue column is the select's last: its two bindings are the last two.
  const values = [
    ...bindings.slice(0, -2),
    revenueOf === 'every',
    revenueOf === 'every' ? [] : [...revenueOf],
  ];
  const bind = (value: unknown) => `$${values.push(value)}`;
  const conditions: string[] = [];
  if (after) conditions.push(`(s.created_at, s.id) > (${bind(after.createdAt)}, ${bind(after.id)})`);
  if (nameContains) {
    conditions.push(`s.name ilike ${bind(`%${nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  }
  const where = conditions.length ? ` where ${conditions.join(' and ')}` : '';
  return {
    statement: {
      name: statementName('societies.list', { after: !!after, name: !!nameContains }),
      text: `${sql}${where} order by s.created_at asc, s.id asc limit ${bind(limit)}`,
    },
    values,
  };
};

interface SocietyListFilter {
  limit: number;
  /** The societies whose revenue the caller may see (canAdminister): `every`, or their ids. */
  revenueOf: 'every' | readonly string[];
  after?: { createdAt: Date; id: string };
  nameContains?: string;
}

/** Keyset pagination on (created_at, id): stable under inserts, cheap at any depth. */
export const listSocieties = async (knex: Knex, filter: SocietyListFilter): Promise<SocietyRow[]> => {
  const { statement, values } = societyListStatement(knex, filter);
  return runNamed<SocietyRow>(knex, statement, values);
};
