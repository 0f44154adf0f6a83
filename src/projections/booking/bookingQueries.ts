import type { Knex } from 'knex';
import { knexStatement, runNamed } from '../namedQuery';

/** A weekly slot claim as the reconciler finds it (from the `booking_quota_claims` read table). */
export interface PendingClaim {
  bookingId: string;
  classId: string;
  memberId: string;
  societyId: string;
  week: string;
  requestedBy: string | null;
}

export interface BookingRow {
  id: string;
  member_id: string;
  event_id: string;
  society_id: string;
  status: 'confirmed' | 'waitlist' | 'canceled';
  waitlist_position: number | null;
  week: string;
  booking_date: string;
  booked_at: Date;
  booked_by: string | null;
  promoted_at: Date | null;
  canceled_at: Date | null;
  canceled_by: string | null;
  cancel_reason: string | null;
  attendance: 'present' | 'no_show' | null;
  attendance_marked_at: Date | null;
  class_revision: number;
  created_at: Date;
  updated_at: Date;
  /** From the `classes` view. */
  event_name: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  trainer_id: string | null;
  /** Never set: bookings are not changed with If-Match, so their answers carry no ETag. */
  version?: undefined;
}

// `booking_date` as text: a DATE column would come back as a JS Date at the server's midnight.
// It is the society's date when the booking was made (the class's zone), the stored UTC date
// only for a class the read side does not have.
const bookingsWithClass = (knex: Knex) =>
  knex('bookings as b')
    .leftJoin('classes as c', 'c.id', 'b.event_id')
    .select<BookingRow[]>(
      'b.*',
      knex.raw('coalesce((b.booked_at AT TIME ZONE c.timezone)::date, b.booking_date)::text AS booking_date'),
      'c.name as event_name',
      'c.starts_at',
      'c.ends_at',
      'c.trainer_id',
    );

export const findBooking = async (knex: Knex, id: string): Promise<BookingRow | undefined> =>
  (await bookingsWithClass(knex).where('b.id', id).first()) as BookingRow | undefined;

const memberBookingsQuery = (knex: Knex, { memberId, limit, before }: MemberBookingsFilter) => {
  const query = bookingsWithClass(knex)
    .where('b.member_id', memberId)
    .orderBy([
      { column: 'b.booked_at', order: 'desc' },
      { column: 'b.id', order: 'desc' },
    ])
    .limit(limit);
  if (before) query.andWhereRaw('(b.booked_at, b.id) < (?, ?)', [before.at, before.id]);
  return query;
};

interface MemberBookingsFilter {
  memberId: string;
  limit: number;
  before?: { at: Date; id: string };
}

// Named (GET /members/{id}/bookings is a hot read): the first page, and the pages after a cursor.
const standIn = { memberId: 'member', limit: 1 };
const firstPage = knexStatement('bookings.of-member', (knex) => memberBookingsQuery(knex, standIn));
const laterPage = knexStatement('bookings.of-member:before', (knex) =>
  memberBookingsQuery(knex, { ...standIn, before: { at: new Date(0), id: 'booking' } }),
);

/** A member's bookings, latest first, keyset-paged on (booked_at, id). */
export const memberBookings = (knex: Knex, f: MemberBookingsFilter): Promise<BookingRow[]> =>
  f.before
    ? runNamed<BookingRow>(knex, laterPage(knex), [f.memberId, f.before.at, f.before.id, f.limit])
    : runNamed<BookingRow>(knex, firstPage(knex), [f.memberId, f.limit]);

/** A class's bookings: confirmed in booking order, then the waitlist in queue order, then canceled. */
export const classBookings = (knex: Knex, classId: string): Promise<BookingRow[]> =>
  bookingsWithClass(knex)
    .where('b.event_id', classId)
    .orderByRaw(
      "CASE b.status WHEN 'confirmed' THEN 0 WHEN 'waitlist' THEN 1 ELSE 2 END, b.waitlist_position, b.booked_at, b.id",
    );

export const classWaitlist = (knex: Knex, classId: string): Promise<BookingRow[]> =>
  bookingsWithClass(knex)
    .where({ 'b.event_id': classId, 'b.status': 'waitlist' })
    .orderBy('b.waitlist_position');

/** Confirmed participants with their names, for the trainer's list. */
export const classParticipants = (
  knex: Knex,
  classId: string,
): Promise<{ member_id: string; name: string; booking_id: string; attendance: string | null }[]> =>
  knex('bookings as b')
    .leftJoin('members as m', 'm.id', 'b.member_id')
    .where({ 'b.event_id': classId, 'b.status': 'confirmed' })
    .orderBy([{ column: 'b.booked_at' }, { column: 'b.id' }])
    .select('b.member_id', knex.raw("coalesce(m.name, '') AS name"), 'b.id as booking_id', 'b.attendance');

/**
 * Weekly slots claimed before `claimedBefore` and still held with no live booking behind them:
 * either the class never recorded the booking (a crash between the steps) or it was canceled and
 * the slot's release did not happen.
 */
export const unsettledClaims = async (
  knex: Knex,
  { claimedBefore, limit }: { claimedBefore: Date; limit: number },
): Promise<PendingClaim[]> => {
  const rows: {
    booking_id: string;
    class_id: string;
    member_id: string;
    society_id: string;
    week: string;
    requested_by: string | null;
  }[] = await knex('booking_quota_claims as q')
    .whereNull('q.released_at')
    .andWhere('q.claimed_at', '<', claimedBefore)
    .whereNotExists(
      knex('bookings as b')
        .select(knex.raw('1'))
        .whereRaw('b.id = q.booking_id')
        .andWhereNot('b.status', 'canceled'),
    )
    .orderBy('q.claimed_at')
    .limit(limit)
    .select('q.booking_id', 'q.class_id', 'q.member_id', 'q.society_id', 'q.week', 'q.requested_by');
  return rows.map((r) => ({
    bookingId: r.booking_id,
    classId: r.class_id,
    memberId: r.member_id,
    societyId: r.society_id,
    week: r.week,
    requestedBy: r.requested_by,
  }));
};

/** Classes whose waitlist outlived their start: the cleanup job ends those places. */
export const startedClassesWithWaitlist = async (knex: Knex, now: Date, limit: number): Promise<string[]> =>
  (
    await knex('bookings as b')
      .join('classes as c', 'c.id', 'b.event_id')
      .where('b.status', 'waitlist')
      .andWhere('c.starts_at', '<=', now)
      .distinct('b.event_id')
      .limit(limit)
  ).map((r: { event_id: string }) => r.event_id);

export interface CalendarEntry {
  id: string;
  name: string;
  class_type: string;
  starts_at: Date;
  ends_at: Date;
  status: string;
  society_name: string | null;
  society_location: string | null;
}

const calendarClasses = (knex: Knex) =>
  knex('classes as c')
    .leftJoin('societies as s', 's.id', 'c.society_id')
    .select<CalendarEntry[]>(
      'c.id',
      'c.name',
      'c.class_type',
      'c.starts_at',
      'c.ends_at',
      'c.status',
      's.name as society_name',
      's.location as society_location',
    )
    .where('c.status', 'scheduled')
    .orderBy('c.starts_at');

/** The classes a member holds a confirmed seat in, from `since` on. */
export const memberCalendar = (knex: Knex, memberId: string, since: Date): Promise<CalendarEntry[]> =>
  calendarClasses(knex)
    .join('bookings as b', 'b.event_id', 'c.id')
    .where({ 'b.member_id': memberId, 'b.status': 'confirmed' })
    .andWhere('c.ends_at', '>=', since);

/** The classes a trainer teaches, from `since` on. */
export const trainerCalendar = (knex: Knex, trainerId: string, since: Date): Promise<CalendarEntry[]> =>
  calendarClasses(knex).where('c.trainer_id', trainerId).andWhere('c.ends_at', '>=', since);
