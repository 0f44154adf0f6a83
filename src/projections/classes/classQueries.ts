import type { Knex } from 'knex';
import { claimInstantColumns } from '../schedules/planningQueries';

/** A row of `classes`; `T` is how a timestamp is held (a `Date` as read here, an `Instant` in a batch). */
export interface ClassRow<T = Date> {
  id: string;
  society_id: string;
  name: string;
  class_type: string;
  trainer_id: string | null;
  /** `YYYY-MM-DD`: read as text (a DATE column would come back as a JS Date at the server's midnight). */
  date: string;
  start_minute: number;
  end_minute: number;
  timezone: string;
  starts_at: T;
  ends_at: T;
  max_members: number;
  seats_left: number;
  status: 'scheduled' | 'canceled';
  cancel_reason: string | null;
  /** Where in the society the class takes place; null when not given. */
  location: string | null;
  version: number;
  created_at: T;
  updated_at: T;
}

export interface ActivityRow {
  id: string;
  class_id: string;
  order: number;
  name: string;
  duration_minutes: number;
  description: string | null;
  tracks: string[];
  media_url: string | null;
}

// `date` as text: a DATE column would come back as a JS Date at the server's midnight.
const classes = (knex: Knex) => knex('classes').select<ClassRow[]>('*', knex.raw('date::text AS date'));

export const findClass = async (knex: Knex, id: string): Promise<ClassRow | undefined> =>
  (await classes(knex).where({ id }).first()) as ClassRow | undefined;

export interface ClassFilter {
  societyId?: string;
  trainerId?: string;
  /** Society-local dates, inclusive. */
  from?: string;
  to?: string;
  /** Only classes not canceled that have not started by this instant. */
  upcomingAt?: Date;
  limit: number;
  /** Keyset on (starts_at, id). */
  after?: { startsAt: Date; id: string };
}

/** Classes in start order, keyset-paged on (starts_at, id). */
export const listClasses = (knex: Knex, f: ClassFilter): Promise<ClassRow[]> => {
  const query = classes(knex)
    .orderBy([{ column: 'starts_at' }, { column: 'id' }])
    .limit(f.limit);
  if (f.societyId) query.where('society_id', f.societyId);
  if (f.trainerId) query.where('trainer_id', f.trainerId);
  if (f.from) query.where('date', '>=', f.from);
  if (f.to) query.where('date', '<=', f.to);
  if (f.upcomingAt) query.where('status', 'scheduled').andWhere('starts_at', '>', f.upcomingAt);
  if (f.after) query.whereRaw('(starts_at, id) > (?, ?)', [f.after.startsAt, f.after.id]);
  return query;
};

export const classActivities = (knex: Knex, classId: string): Promise<ActivityRow[]> =>
  knex('class_activities').where({ class_id: classId }).orderBy('order');

export interface TrainerDayLoad {
  trainer_id: string;
  classes_that_day: number;
}

/** How many classes each trainer holds on a date, from `trainer_day_slots`. */
export const trainerDayLoads = async (knex: Knex, date: string) =>
  (await knex('trainer_day_slots as c')
    .where({ date })
    .select(
      'trainer_id',
      'class_id',
      'society_id',
      'start_minute',
      'end_minute',
      ...claimInstantColumns(knex, 'c'),
    )) as {
    trainer_id: string;
    class_id: string;
    society_id: string;
    start_minute: number;
    end_minute: number;
    starts_at: string | null;
    ends_at: string | null;
  }[];

/** Where each society is, for travel between a trainer's classes. */
export const societyLocations = async (knex: Knex, ids: readonly string[]) =>
  new Map(
    (
      (await knex('societies')
        .whereIn('id', ids as string[])
        .select('id', 'latitude', 'longitude')) as {
        id: string;
        latitude: number | null;
        longitude: number | null;
      }[]
    ).map((s) => [
      s.id,
      s.latitude !== null && s.longitude !== null ? { lat: s.latitude, lng: s.longitude } : null,
    ]),
  );
