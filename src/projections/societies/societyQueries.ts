import type { Knex } from 'knex';
import {
  DEFAULT_CANCELLATION_CUTOFF_MINUTES,
  DEFAULT_WEEKLY_BOOKING_LIMIT,
} from '../../events/societies/societyEvents';

export interface SocietyRow {
  id: string;
  name: string;
  location: string;
  max_members_per_event: number;
  capacity: number;
  revenue_details: string;
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
 * The `societies` view with `revenue_details` taken from billing's `revenue_entries` (completed
 * payments minus refunds in the society's currency): the societies table's own column was never
 * written, so every society showed 0.00 however much it had taken.
 *
 * The booking settings are read through `to_jsonb(s)`, defaulted: while version 2 of the
 * projection rebuilds, the view still shows version 1's table, which has no such columns, and
 * naming them would fail every society lookup (signup, payments …) until the switch.
 */
const societiesWithRevenue = (knex: Knex) =>
  knex<SocietyRow>('societies as s').select(
    's.id',
    's.name',
    's.location',
    's.max_members_per_event',
    's.capacity',
    's.currency',
    's.timezone',
    's.latitude',
    's.longitude',
    knex.raw(`coalesce((to_jsonb(s) ->> 'weekly_booking_limit')::int, ?) AS weekly_booking_limit`, [
      DEFAULT_WEEKLY_BOOKING_LIMIT,
    ]),
    knex.raw(
      `coalesce((to_jsonb(s) ->> 'cancellation_cutoff_minutes')::int, ?) AS cancellation_cutoff_minutes`,
      [DEFAULT_CANCELLATION_CUTOFF_MINUTES],
    ),
    's.created_by',
    's.version',
    's.created_at',
    's.updated_at',
    knex.raw(
      `coalesce((SELECT sum(r.amount) FROM revenue_entries r
                  WHERE r.society_id = s.id AND r.currency = s.currency), 0)::numeric(14,2)::text
         AS revenue_details`,
    ),
  );

/** Reads the `societies` view (the active projection version). */
export const findSociety = (knex: Knex, id: string): Promise<SocietyRow | undefined> =>
  societiesWithRevenue(knex).where('s.id', id).first();

/** Keyset pagination on (created_at, id): stable under inserts, cheap at any depth. */
export const listSocieties = async (
  knex: Knex,
  {
    limit,
    after,
    nameContains,
  }: { limit: number; after?: { createdAt: Date; id: string }; nameContains?: string },
): Promise<SocietyRow[]> => {
  const query = societiesWithRevenue(knex)
    .orderBy([{ column: 's.created_at' }, { column: 's.id' }])
    .limit(limit);
  if (after) query.whereRaw('(s.created_at, s.id) > (?, ?)', [after.createdAt, after.id]);
  if (nameContains) query.whereILike('s.name', `%${nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return query;
};
