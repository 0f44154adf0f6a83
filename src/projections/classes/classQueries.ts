import type { Knex } from 'knex';
import { claimInstantColumns } from '../schedules/planningQueries';
import { runNamed, statementName, type NamedStatement } from '../namedQuery';

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

// The hot reads (GET /events, GET /events/{id}) as named statements. `date` as text: a DATE
// column would come back as a JS Date at the server's midnight.
const CLASS_COLUMNS = 'SELECT *, date::text AS date FROM classes';

const findClassStatement: NamedStatement = {
  name: 'classes.find',
  text: `${CLASS_COLUMNS} WHERE id = $1 LIMIT 1`,
};

export const findClass = async (knex: Knex, id: string): Promise<ClassRow | undefined> =>
  (await runNamed<ClassRow>(knex, findClassStatement, [id]))[0];

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

/**
 * The statement for the filters a list names, with its values in order: one named statement per
 * combination of filters (at most 64), each planned for the filters it has.
 */
const classListStatement = (f: ClassFilter): { statement: NamedStatement; values: unknown[] } => {
  const values: unknown[] = [];
  const conditions: string[] = [];
  const bind = (value: unknown) => `$${values.push(value)}`;
  if (f.societyId) conditions.push(`society_id = ${bind(f.societyId)}`);
  if (f.trainerId) conditions.push(`trainer_id = ${bind(f.trainerId)}`);
  if (f.from) conditions.push(`date >= ${bind(f.from)}`);
  if (f.to) conditions.push(`date <= ${bind(f.to)}`);
  if (f.upcomingAt) conditions.push(`status = 'scheduled' AND starts_at > ${bind(f.upcomingAt)}`);
  if (f.after) conditions.push(`(starts_at, id) > (${bind(f.after.startsAt)}, ${bind(f.after.id)})`);
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const limit = bind(f.limit);
  return {
    statement: {
      name: statementName('classes.list', {
        society: !!f.societyId,
        trainer: !!f.trainerId,
        from: !!f.from,
        to: !!f.to,
        upcoming: !!f.upcomingAt,
        after: !!f.after,
      }),
      text: `${CLASS_COLUMNS}${where} ORDER BY starts_at, id LIMIT ${limit}`,
    },
    values,
  };
};

/** Classes in start order, keyset-paged on (starts_at, id). */
export const listClasses = (knex: Knex, f: ClassFilter): Promise<ClassRow[]> => {
  const { statement, values } = classListStatement(f);
  return runNamed<ClassRow>(knex, statement, values);
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
