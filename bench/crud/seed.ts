import { randomUUID, type KeyObject } from 'node:crypto';
import type pg from 'pg';
import { issueToken, type Role } from './auth';

/**
 * The CRUD baseline's data, written straight into its tables (it has no signup or onboarding
 * routes), in the shapes the project's benches make through the project's API: bench/api/seed.ts
 * (societies, subscribed members, classes every weekday) and bench/booking/world.ts (one big
 * society, fresh members and classes per scenario).
 */
const TIMEZONE = 'Asia/Kolkata';

const addUser = (pool: pg.Pool, id: string, role: Role, societyId: string | null = null) =>
  pool.query('INSERT INTO users (id, role, society_id) VALUES ($1, $2, $3)', [id, role, societyId]);

const addSociety = async (pool: pg.Pool, maxMembersPerEvent: number, capacity: number) => {
  const id = randomUUID();
  await pool.query(
    'INSERT INTO societies (id, name, location, max_members_per_event, capacity) VALUES ($1, $2, $3, $4, $5)',
    [id, `Bench ${id}`, 'Sector 62, Noida', maxMembersPerEvent, capacity],
  );
  return id;
};

const addAdmin = async (pool: pg.Pool, key: KeyObject, societyId: string) => {
  const id = randomUUID();
  await addUser(pool, id, 'society_admin');
  await pool.query('INSERT INTO society_admins (user_id, society_id) VALUES ($1, $2)', [id, societyId]);
  return issueToken(key, id, 'society_admin');
};

/** Approved members with a paid subscription running `days` from now. */
const addMembers = async (pool: pg.Pool, societyId: string, ids: string[], days = 365) => {
  await pool.query(
    `INSERT INTO members (id, society_id, name, status)
     SELECT id, $2, 'Member ' || left(id::text, 8), 'approved' FROM unnest($1::uuid[]) AS id`,
    [ids, societyId],
  );
  await pool.query(
    `INSERT INTO subscriptions (id, member_id, status, active_until)
     SELECT gen_random_uuid(), id, 'active', now() + make_interval(days => $2) FROM unnest($1::uuid[]) AS id`,
    [ids, days],
  );
  return ids;
};

export interface ClassSlot {
  date: string;
  startMinute: number;
  endMinute: number;
  maxMembers: number;
}

/** Classes at society-local times; the ISO week is the local date's. */
const addClasses = async (pool: pg.Pool, societyId: string, slots: ClassSlot[]) => {
  const ids = slots.map(() => randomUUID());
  await pool.query(
    `INSERT INTO classes (id, society_id, name, class_type, timezone, start_minute, end_minute,
                          local_date, starts_at, ends_at, iso_week, max_members)
     SELECT id, $2, 'Bench class', 'yoga', $7, s, e, d,
            (d + make_interval(mins => s))::timestamp AT TIME ZONE $7,
            (d + make_interval(mins => e))::timestamp AT TIME ZONE $7,
            to_char(d, 'IYYY-"W"IW'), m
       FROM unnest($1::uuid[], $3::date[], $4::int[], $5::int[], $6::int[]) AS t(id, d, s, e, m)`,
    [
      ids,
      societyId,
      slots.map((s) => s.date),
      slots.map((s) => s.startMinute),
      slots.map((s) => s.endMinute),
      slots.map((s) => s.maxMembers),
      TIMEZONE,
    ],
  );
  return ids;
};

/** Society-local dates of the weekdays of `weeks` weeks from next Monday (as bench/api/seed.ts). */
const weekdays = (weeks: number): string[][] => {
  const monday = new Date();
  monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
  return Array.from({ length: weeks }, (_, w) =>
    Array.from({ length: 5 }, (_, d) =>
      new Date(monday.getTime() + (w * 7 + d) * 86_400_000).toISOString().slice(0, 10),
    ),
  );
};

export interface ApiShape {
  societies: number;
  members: number;
  weeks: number;
}
export interface ApiData {
  societies: { id: string; adminToken: string; classIds: string[]; member: { id: string; token: string } }[];
  /** (admin, class, member) triples inside the weekly limit, week-major. */
  bookings: { token: string; classId: string; memberId: string }[];
}

export const seedApiShape = async (pool: pg.Pool, key: KeyObject, shape: ApiShape): Promise<ApiData> => {
  const days = weekdays(shape.weeks);
  const data: ApiData = { societies: [], bookings: [] };
  for (let s = 0; s < shape.societies; s++) {
    const societyId = await addSociety(pool, 30, 10_000);
    const adminToken = await addAdmin(pool, key, societyId);
    const bookers = await addMembers(
      pool,
      societyId,
      Array.from({ length: shape.members }, () => randomUUID()),
    );
    const ownId = randomUUID();
    await addUser(pool, ownId, 'member', societyId);
    await addMembers(pool, societyId, [ownId]);
    const slots = days.flat().map((date) => ({ date, startMinute: 420, endMinute: 480, maxMembers: 30 }));
    const classIds = await addClasses(pool, societyId, slots);
    data.societies.push({
      id: societyId,
      adminToken,
      classIds,
      member: { id: ownId, token: issueToken(key, ownId, 'member') },
    });
    for (let w = 0; w < shape.weeks; w++)
      for (const memberId of bookers)
        for (let d = 0; d < 5; d++)
          data.bookings.push({ token: adminToken, classId: classIds[w * 5 + d]!, memberId });
  }
  return data;
};

/** One society for booking storms: max 500 per class, members and classes made per scenario. */
export const seedStormSociety = async (pool: pg.Pool, key: KeyObject) => {
  const societyId = await addSociety(pool, 500, 100_000);
  const token = await addAdmin(pool, key, societyId);
  return {
    members: (count: number) =>
      addMembers(
        pool,
        societyId,
        Array.from({ length: count }, () => randomUUID()),
        30,
      ),
    /** Classes on 2030-03-04 + `day` at `hour`:00 for 30 minutes (as bench/booking/world.ts). */
    classes: (slots: { day: number; hour: number; maxMembers: number }[]) =>
      addClasses(
        pool,
        societyId,
        slots.map(({ day, hour, maxMembers }) => ({
          date: new Date(Date.UTC(2030, 2, 4 + day)).toISOString().slice(0, 10),
          startMinute: hour * 60,
          endMinute: hour * 60 + 30,
          maxMembers,
        })),
      ),
    bookingRequest: (classId: string, memberId: string) => ({
      path: `/events/${classId}/bookings`,
      token,
      body: { member_id: memberId },
    }),
  };
};
