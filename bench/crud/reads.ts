import type { Request } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { sql } from './database';
import { administers, type Principal } from './auth';
import type { BookingRow } from './booking';
import { forbidden, invalid, notFound } from './problem';

/** The read routes of the subset, straight from the tables. Lists answer bare arrays, as the project's. */
export const uuid = z.string().uuid();
const limit = z.coerce.number().int().min(1).max(100).default(50);
const pageQuery = z.object({ limit, cursor: z.string().max(200).optional() });
const classesQuery = pageQuery.extend({ society_id: uuid.optional() });

export const parse = <T>(schema: z.ZodType<T>, value: unknown, part: string): T => {
  const result = schema.safeParse(value);
  if (!result.success)
    throw invalid(
      `${part}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  return result.data;
};

/** Keyset paging: the cursor is the last row's (timestamp, id), base64url. */
const encodeCursor = (at: Date, id: string) =>
  Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
const decodeCursor = (cursor: string): [Date, string] => {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (!uuid.safeParse(id).success || Number.isNaN(Date.parse(at))) throw new Error('bad cursor');
    return [new Date(at), id];
  } catch {
    throw invalid('cursor is not one this API gave out.');
  }
};

export interface ListAnswer {
  body: unknown[];
  nextCursor: string | null;
}
const page = <R>(
  rows: R[],
  size: number,
  key: (row: R) => [Date, string],
  show: (row: R) => unknown,
): ListAnswer => {
  const shown = rows.slice(0, size);
  const last = shown.at(-1);
  return {
    body: shown.map(show),
    nextCursor: rows.length > size && last ? encodeCursor(...key(last)) : null,
  };
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A WHERE clause with only the conditions that apply, so each variant is its own prepared
 * statement with a plan that uses the index (an `$n IS NULL OR …` generic plan would not).
 */
const where = (values: unknown[], conditions: [string, ...unknown[]][]) =>
  conditions
    .map(([text, ...args]) => text.replace(/\?/g, () => `$${values.push(args.shift())}`))
    .join(' AND ');

export const listSocieties = async (pool: pg.Pool, req: Request): Promise<ListAnswer> => {
  const q = parse(pageQuery, req.query, 'query');
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  type Row = { id: string; created_at: Date } & Record<string, unknown>;
  const values: unknown[] = [q.limit + 1];
  const filter = where(values, [
    ['true'],
    ...(after ? [['(created_at, id) > (?, ?)', ...after] as [string, ...unknown[]]] : []),
  ]);
  const rows = await sql<Row>(
    pool,
    `SELECT id, name, location, timezone, max_members_per_event, capacity, weekly_booking_limit,
            cancellation_cutoff_minutes, created_at
       FROM societies WHERE ${filter} ORDER BY created_at, id LIMIT $1`,
    values,
  );
  return page(
    rows,
    q.limit,
    (r) => [r.created_at, r.id],
    (r) => ({ ...r, created_at: r.created_at.toISOString() }),
  );
};

const CLASS_COLUMNS = `
  c.id, c.name, c.society_id, c.trainer_id, c.class_type, c.local_date::text AS date, c.start_minute,
  c.end_minute, c.location, c.timezone, c.starts_at, c.ends_at, c.max_members,
  GREATEST(0, LEAST(c.max_members, s.max_members_per_event) - c.confirmed) AS seats_left,
  c.status, c.cancel_reason, c.version, c.created_at, c.updated_at`;
type ClassRow = {
  id: string;
  society_id: string;
  trainer_id: string | null;
  name: string;
  class_type: string;
  date: string;
  start_minute: number;
  end_minute: number;
  location: string | null;
  timezone: string;
  starts_at: Date;
  ends_at: Date;
  max_members: number;
  seats_left: number;
  status: string;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
};
const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
/** The class as the project answers it: every field the spec's examples show, the same way. */
const showClass = (r: ClassRow, now: Date) => ({
  id: r.id,
  event_id: r.id,
  name: r.name,
  society_id: r.society_id,
  trainer_id: r.trainer_id,
  class_type: r.class_type,
  date: r.date,
  event_date: r.date,
  start_time: hhmm(r.start_minute),
  end_time: hhmm(r.end_minute),
  duration: r.end_minute - r.start_minute,
  location: r.location,
  timezone: r.timezone,
  starts_at: r.starts_at.toISOString(),
  ends_at: r.ends_at.toISOString(),
  max_members: r.max_members,
  seats_left: r.seats_left,
  status:
    r.status === 'canceled'
      ? 'canceled'
      : now < r.starts_at
        ? 'scheduled'
        : now < r.ends_at
          ? 'ongoing'
          : 'completed',
  cancel_reason: r.cancel_reason,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

/** Upcoming classes with seats left; a member sees their own society's only. */
export const listClasses = async (pool: pg.Pool, principal: Principal, req: Request): Promise<ListAnswer> => {
  const q = parse(classesQuery, req.query, 'query');
  if (principal.role === 'member' && q.society_id && q.society_id !== principal.societyId)
    throw forbidden('A member sees only their own society’s classes.');
  const societyId = principal.role === 'member' ? principal.societyId : (q.society_id ?? null);
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const values: unknown[] = [q.limit + 1];
  const filter = where(values, [
    ['c.starts_at > now()'],
    ...(societyId ? [['c.society_id = ?', societyId] as [string, ...unknown[]]] : []),
    ...(after ? [['(c.starts_at, c.id) > (?, ?)', ...after] as [string, ...unknown[]]] : []),
  ]);
  const rows = await sql<ClassRow>(
    pool,
    `SELECT ${CLASS_COLUMNS} FROM classes c JOIN societies s ON s.id = c.society_id
      WHERE ${filter} ORDER BY c.starts_at, c.id LIMIT $1`,
    values,
  );
  const now = new Date();
  return page(
    rows,
    q.limit,
    (r) => [r.starts_at, r.id],
    (r) => showClass(r, now),
  );
};

export const getClass = async (pool: pg.Pool, principal: Principal, id: string) => {
  const [row] = await sql<ClassRow>(
    pool,
    `SELECT ${CLASS_COLUMNS} FROM classes c JOIN societies s ON s.id = c.society_id WHERE c.id = $1`,
    [id],
  );
  // To a member, another society's classes do not exist.
  if (!row || (principal.role === 'member' && principal.societyId !== row.society_id))
    throw notFound('class', id);
  return { etag: `"${row.version}"`, body: showClass(row, new Date()) };
};

export const showBooking = (b: BookingRow & { event_name?: string; starts_at?: Date | null }) => ({
  id: b.id,
  member_id: b.member_id,
  event_id: b.class_id,
  event_name: b.event_name ?? null,
  starts_at: iso(b.starts_at ?? null),
  status: b.status,
  waitlist_position: b.waitlist_position,
  canceled_at: iso(b.canceled_at),
  created_at: b.booked_at.toISOString(),
  updated_at: b.updated_at.toISOString(),
});

/** A member's bookings, newest first: the member themself, an admin of their society, a super_admin. */
export const listMemberBookings = async (
  pool: pg.Pool,
  principal: Principal,
  req: Request,
): Promise<ListAnswer> => {
  const memberId = parse(uuid, req.params.id, 'params');
  const q = parse(pageQuery, req.query, 'query');
  const [member] = await sql<{ society_id: string }>(pool, 'SELECT society_id FROM members WHERE id = $1', [
    memberId,
  ]);
  if (!member || !(principal.userId === memberId || administers(principal, member.society_id)))
    throw notFound('member', memberId);
  const before = q.cursor ? decodeCursor(q.cursor) : undefined;
  type Row = BookingRow & { event_name: string; starts_at: Date };
  const values: unknown[] = [q.limit + 1];
  const filter = where(values, [
    ['b.member_id = ?', memberId],
    ...(before ? [['(b.booked_at, b.id) < (?, ?)', ...before] as [string, ...unknown[]]] : []),
  ]);
  const rows = await sql<Row>(
    pool,
    `SELECT b.*, c.name AS event_name, c.starts_at FROM bookings b JOIN classes c ON c.id = b.class_id
      WHERE ${filter} ORDER BY b.booked_at DESC, b.id DESC LIMIT $1`,
    values,
  );
  return page(rows, q.limit, (r) => [r.booked_at, r.id], showBooking);
};
