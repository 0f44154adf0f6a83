import type { Knex } from 'knex';
import { formatMinute } from '../../commands/trainers/availability';
import type { Availability } from '../../events/trainers/trainerEvents';
import { trainersTeachingIn } from '../../projections/classes/trainersTeachingIn';
import type { TrainerRow } from '../../projections/trainers/trainerQueries';
import type { Principal } from '../auth/principal';
import { HttpProblem } from '../http/errorHandler';

const toAvailability = (a: Availability) => ({
  weekly: a.weekly.map((w) => ({
    weekday: w.weekday,
    start: formatMinute(w.start),
    end: formatMinute(w.end),
  })),
  slots: a.slots.map((s) => ({ date: s.date, start: formatMinute(s.start), end: formatMinute(s.end) })),
  unavailable: a.unavailable,
});

/** The trainer design's place string: the address, else the coordinates, else empty. */
const placeOf = (location: TrainerRow['location']) =>
  location.address ??
  (location.latitude !== null && location.longitude !== null
    ? `${location.latitude}, ${location.longitude}`
    : '');

/**
 * A trainer as the caller may see them. How to reach the trainer (email, phone, and the location
 * of their home) is contact detail; without `withContact` the caller gets the public profile.
 * The spec's `specialization` and `location` are strings: the first specialization and the
 * place; every specialization and the coordinates are in `specializations` and `home_location`.
 */
export const toTrainer = (row: TrainerRow, withContact: boolean) => ({
  id: row.id,
  name: row.name,
  ...(withContact ? { email: row.email, phone_number: row.phone_number } : {}),
  specialization: row.specialization[0] ?? '',
  specializations: row.specialization,
  ...(withContact ? { location: placeOf(row.location), home_location: row.location } : {}),
  society_id: row.society_id,
  max_classes_per_day: row.max_classes_per_day,
  availability: row.availability ? toAvailability(row.availability) : null,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

/** '10:00 AM' from minutes since midnight (the trainer design's slot format). */
const twelveHour = (minute: number) => {
  const h = Math.floor(minute / 60) % 24;
  return `${h % 12 === 0 ? 12 : h % 12}:${String(minute % 60).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
};

/** A date's windows as the trainer design writes them: "10:00 AM - 11:00 AM". */
export const slotsOn = (row: TrainerRow, date: string): string[] =>
  (row.availability?.slots ?? [])
    .filter((s) => s.date === date)
    .map((s) => `${twelveHour(s.start)} - ${twelveHour(s.end)}`);

/**
 * Of these trainers, those whose contact details the caller may see: super admins any; a trainer
 * themself; a society admin those who teach in a society they administer. Members and everyone
 * else none.
 */
export const contactVisibleTo = async (
  knex: Knex,
  principal: Principal,
  trainerIds: readonly string[],
): Promise<Set<string>> => {
  switch (principal.role) {
    case 'super_admin':
      return new Set(trainerIds);
    case 'trainer':
      return new Set(trainerIds.filter((id) => id === principal.userId));
    case 'society_admin':
      return trainersTeachingIn(knex, trainerIds, principal.societies);
    default:
      return new Set();
  }
};

export const trainerNotFound = (id: string) =>
  new HttpProblem(404, 'trainer-not-found', 'Trainer not found', `No trainer profile ${id}`);
