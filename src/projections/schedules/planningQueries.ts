import type { Knex } from 'knex';
import type { Availability, TrainerLocation } from '../../events/trainers/trainerEvents';

/**
 * What the weekly planner reads from other capabilities' read models (their views, never their
 * tables): every trainer's profile, the claims trainers already hold on the week's dates, and
 * which of the week's classes exist already. Planning on the read side is safe because every
 * class it proposes is still decided by the write side's claims.
 */
export interface PlanningTrainerRow {
  id: string;
  specialization: string[];
  location: TrainerLocation;
  max_classes_per_day: number;
  availability: Availability | null;
}

export const allTrainersForPlanning = (knex: Knex): Promise<PlanningTrainerRow[]> =>
  knex('trainers')
    .orderBy('id')
    .select('id', 'specialization', 'location', 'max_classes_per_day', 'availability');

export interface HeldClaimRow {
  trainer_id: string;
  date: string;
  class_id: string;
  society_id: string;
  start_minute: number;
  end_minute: number;
  /** The instants the claim recorded (ISO text), or null: compared by its minutes then. */
  starts_at: string | null;
  ends_at: string | null;
  latitude: number | null;
  longitude: number | null;
}

/**
 * A claim's recorded instants, read through `to_jsonb`: while a rebuilt `trainer_day_slots` (v2,
 * which added them) catches up, the view still shows v1's table, which has no such columns.
 */
export const claimInstantColumns = (knex: Knex, alias: string) => [
  knex.raw(`to_jsonb(${alias}) ->> 'starts_at' AS starts_at`),
  knex.raw(`to_jsonb(${alias}) ->> 'ends_at' AS ends_at`),
];

/** Claims held on these dates, with their society's coordinates (the travel rule needs them). */
export const claimsHeldOn = (knex: Knex, dates: readonly string[]): Promise<HeldClaimRow[]> =>
  knex('trainer_day_slots as c')
    .joinRaw('LEFT JOIN societies s ON s.id::text = c.society_id')
    .whereIn('c.date', dates)
    .orderBy(['c.trainer_id', 'c.date', 'c.start_minute', 'c.class_id'])
    .select(
      'c.trainer_id',
      knex.raw('c.date::text AS date'),
      'c.class_id',
      'c.society_id',
      'c.start_minute',
      'c.end_minute',
      ...claimInstantColumns(knex, 'c'),
      's.latitude',
      's.longitude',
    );

/** Of these class ids, the ones that exist (generated before, in any state). */
export const existingClassIds = async (knex: Knex, ids: readonly string[]): Promise<Set<string>> => {
  if (ids.length === 0) return new Set();
  const rows: { id: string }[] = await knex('classes').whereIn('id', ids).select('id');
  return new Set(rows.map((r) => r.id));
};

export interface SocietyClockRow {
  id: string;
  timezone: string;
}

/** Every society and its time zone (the Sunday job asks each one's local time). */
export const allSocietyClocks = (knex: Knex): Promise<SocietyClockRow[]> =>
  knex('societies').orderBy('id').select('id', 'timezone');

/**
 * Members each of these classes turned away: bookings still on the waitlist, or dropped from it
 * when the class began. Empty when the booking read model is not there (it arrives with issue 6).
 */
export const turnedAwayByClass = async (
  knex: Knex,
  classIds: readonly string[],
): Promise<Map<string, number>> => {
  if (classIds.length === 0) return new Map();
  const { rows } = await knex.raw<{ rows: { present: boolean }[] }>(
    "SELECT to_regclass('bookings') IS NOT NULL AS present",
  );
  if (!rows[0]?.present) return new Map();
  const counts: { event_id: string; n: number }[] = await knex('bookings')
    .whereIn('event_id', classIds)
    .andWhere((q) => q.where('status', 'waitlist').orWhere('cancel_reason', 'waitlist-expired'))
    .groupBy('event_id')
    .select('event_id', knex.raw('count(*)::int AS n'));
  return new Map(counts.map((c) => [c.event_id, c.n]));
};
