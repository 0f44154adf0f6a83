import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { inTransaction, sql } from './database';
import { administers, type Principal } from './auth';
import { forbidden, invalid, notFound, refused } from './problem';

/**
 * Booking and cancelling as one transaction each, on row locks. Lock order everywhere: the class
 * row first, then the member's week row, so two transactions never wait on each other in a cycle.
 * The answer is sent after COMMIT: it is read-your-writes by itself.
 */
export interface BookingRow {
  id: string;
  member_id: string;
  class_id: string;
  status: 'confirmed' | 'waitlist' | 'canceled';
  waitlist_position: number | null;
  booked_at: Date;
  updated_at: Date;
  canceled_at: Date | null;
}

const MEMBER = `
  SELECT m.society_id, m.status,
         EXISTS (SELECT 1 FROM subscriptions s
                  WHERE s.member_id = m.id AND s.status = 'active' AND s.active_until > now()) AS subscribed
    FROM members m WHERE m.id = $1`;
const LOCK_CLASS = `
  SELECT c.society_id, c.starts_at, c.ends_at, c.iso_week, c.status, c.max_members, c.confirmed, c.waitlisted,
         s.max_members_per_event, s.weekly_booking_limit
    FROM classes c JOIN societies s ON s.id = c.society_id
   WHERE c.id = $1 FOR UPDATE OF c`;
const COUNT_WEEK = `
  INSERT INTO member_weeks (member_id, iso_week, live) VALUES ($1, $2, 1)
  ON CONFLICT (member_id, iso_week) DO UPDATE SET live = member_weeks.live + 1 RETURNING live`;
// Overlaps can only fall in the same ISO week; waitlist places count (they can become seats).
const CLASH = `
  SELECT b.* FROM bookings b JOIN classes c ON c.id = b.class_id
   WHERE b.member_id = $1 AND b.iso_week = $2 AND b.status <> 'canceled'
     AND (b.class_id = $3 OR (c.starts_at < $5 AND c.ends_at > $4))
   ORDER BY (b.class_id = $3) DESC LIMIT 1`;
const INSERT_BOOKING = `
  INSERT INTO bookings (id, member_id, class_id, status, waitlist_position, iso_week, booked_by, idempotency_key)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`;
const COUNT_SEAT = `
  UPDATE classes SET confirmed = confirmed + $2, waitlisted = waitlisted + $3, version = version + 1, updated_at = now()
   WHERE id = $1`;

export interface BookOrder {
  principal: Principal;
  classId: string;
  memberId: string | undefined;
  idempotencyKey: string | undefined;
}

const bookerOf = ({ principal, memberId }: BookOrder) => {
  if (principal.role !== 'member') {
    if (!memberId) throw invalid('member_id is required when an admin books.');
    return memberId;
  }
  if (memberId && memberId !== principal.userId) throw forbidden('A member books for themself only.');
  return principal.userId;
};

class Replay extends Error {
  constructor(readonly booking: BookingRow) {
    super('replay');
  }
}

/** Books, or answers the booking an earlier request with the same Idempotency-Key made. */
export const book = (pool: pg.Pool, order: BookOrder): Promise<BookingRow> =>
  bookOnce(pool, order).catch(async (error: unknown) => {
    if (error instanceof Replay) return error.booking;
    const { code, constraint } = error as { code?: string; constraint?: string };
    // A spent key (its booking was canceled) never books twice.
    if (code === '23505' && constraint === 'bookings_idempotency_key_key')
      throw refused(409, 'booking-ended', 'That booking ended: book again with a new Idempotency-Key');
    if (code === '23505') throw refused(409, 'already-booked', 'Already booked on this class');
    throw error;
  });

const bookOnce = async (pool: pg.Pool, order: BookOrder): Promise<BookingRow> => {
  const memberId = bookerOf(order);
  const { principal, classId } = order;
  return inTransaction(pool, async (db) => {
    const [member] = await sql<{ society_id: string; status: string; subscribed: boolean }>(db, MEMBER, [
      memberId,
    ]);
    type ClassRow = {
      society_id: string;
      starts_at: Date;
      ends_at: Date;
      iso_week: string;
      status: string;
      max_members: number;
      confirmed: number;
      waitlisted: number;
      max_members_per_event: number;
      weekly_booking_limit: number;
    };
    const [cls] = await sql<ClassRow>(db, LOCK_CLASS, [classId]);
    if (!cls) throw notFound('class', classId);
    if (principal.role !== 'member' && !administers(principal, cls.society_id))
      throw forbidden('Only an admin of the class’s society may book for a member.');
    if (!member) throw notFound('member', memberId);
    if (member.society_id !== cls.society_id)
      throw refused(422, 'member-not-eligible', 'Not a member of this society');
    if (member.status !== 'approved')
      throw refused(422, 'member-not-approved', 'Only approved members may book');
    if (!member.subscribed) throw refused(422, 'subscription-required', 'An active subscription is needed');
    if (cls.status === 'canceled') throw refused(422, 'class-canceled', 'The class has been canceled');
    if (cls.starts_at <= new Date()) throw refused(422, 'class-already-started', 'The class has started');
    const [week] = await sql<{ live: number }>(db, COUNT_WEEK, [memberId, cls.iso_week]);
    type Clash = BookingRow & { idempotency_key: string | null };
    const [clash] = await sql<Clash>(db, CLASH, [
      memberId,
      cls.iso_week,
      classId,
      cls.starts_at,
      cls.ends_at,
    ]);
    // A retry with the same Idempotency-Key answers the booking it made (the week count rolls back).
    if (clash?.class_id === classId && order.idempotencyKey && clash.idempotency_key === order.idempotencyKey)
      throw new Replay(clash);
    if (clash?.class_id === classId) throw refused(409, 'already-booked', 'Already booked on this class');
    if (clash)
      throw refused(422, 'booking-overlap', 'Another class at that time', {
        overlapping_event_id: clash.class_id,
      });
    if (week!.live > cls.weekly_booking_limit)
      throw refused(422, 'weekly-limit-reached', 'Weekly booking limit reached', {
        limit: cls.weekly_booking_limit,
      });
    const seated = cls.confirmed < Math.min(cls.max_members, cls.max_members_per_event);
    const [row] = await sql<BookingRow>(db, INSERT_BOOKING, [
      randomUUID(),
      memberId,
      classId,
      seated ? 'confirmed' : 'waitlist',
      seated ? null : cls.waitlisted + 1,
      cls.iso_week,
      principal.userId,
      order.idempotencyKey ?? null,
    ]);
    await sql(db, COUNT_SEAT, [classId, seated ? 1 : 0, seated ? 0 : 1]);
    return row!;
  });
};

const LOCK_CLASS_OF_BOOKING = `
  SELECT c.id, c.society_id, c.starts_at, c.status, c.max_members, c.confirmed, c.waitlisted,
         s.max_members_per_event, s.cancellation_cutoff_minutes
    FROM classes c JOIN societies s ON s.id = c.society_id
   WHERE c.id = (SELECT class_id FROM bookings WHERE id = $1) FOR UPDATE OF c`;
const BOOKING = 'SELECT * FROM bookings WHERE id = $1';
const CANCEL = `
  UPDATE bookings SET status = 'canceled', waitlist_position = NULL, canceled_at = now(), updated_at = now()
   WHERE id = $1 RETURNING *`;
const CLOSE_UP = `
  UPDATE bookings SET waitlist_position = waitlist_position - $3, updated_at = now()
   WHERE class_id = $1 AND status = 'waitlist' AND waitlist_position > $2`;
const PROMOTE = `
  UPDATE bookings SET status = 'confirmed', waitlist_position = NULL, updated_at = now()
   WHERE class_id = $1 AND status = 'waitlist' AND waitlist_position <= $2`;
const SET_COUNTS =
  'UPDATE classes SET confirmed = $2, waitlisted = $3, version = version + 1, updated_at = now() WHERE id = $1';
const FREE_WEEK = 'UPDATE member_weeks SET live = live - 1 WHERE member_id = $1 AND iso_week = $2';

/**
 * Cancels a booking (its member before the cutoff, an admin of its society any time). A freed seat
 * goes to the head of the waitlist in the same transaction, the queue closes up, the week slot is
 * given back. Cancelling twice answers the canceled booking.
 */
export const cancel = async (pool: pg.Pool, principal: Principal, bookingId: string): Promise<BookingRow> =>
  inTransaction(pool, async (db) => {
    type ClassRow = {
      id: string;
      society_id: string;
      starts_at: Date;
      status: string;
      max_members: number;
      confirmed: number;
      waitlisted: number;
      max_members_per_event: number;
      cancellation_cutoff_minutes: number;
    };
    const [cls] = await sql<ClassRow>(db, LOCK_CLASS_OF_BOOKING, [bookingId]);
    if (!cls) throw notFound('booking', bookingId);
    // Read under the class lock: every change to this class's bookings holds it.
    const [b] = await sql<BookingRow & { iso_week: string }>(db, BOOKING, [bookingId]);
    const own = principal.userId === b!.member_id;
    const admin = administers(principal, cls.society_id);
    if (!own && !admin) throw notFound('booking', bookingId);
    if (b!.status === 'canceled') return b!;
    const now = new Date();
    const pastCutoff = now.getTime() > cls.starts_at.getTime() - cls.cancellation_cutoff_minutes * 60_000;
    if (pastCutoff && !admin && b!.status === 'confirmed')
      throw refused(422, 'cancellation-cutoff-passed', 'Too late to cancel this booking');
    const [done] = await sql<BookingRow>(db, CANCEL, [bookingId]);
    let { confirmed, waitlisted } = cls;
    if (b!.status === 'waitlist') {
      waitlisted--;
      await sql(db, CLOSE_UP, [cls.id, b!.waitlist_position, 1]);
    } else {
      confirmed--;
      const open = cls.status !== 'canceled' && !pastCutoff;
      const promote = open
        ? Math.min(Math.min(cls.max_members, cls.max_members_per_event) - confirmed, waitlisted)
        : 0;
      if (promote > 0) {
        await sql(db, PROMOTE, [cls.id, promote]);
        await sql(db, CLOSE_UP, [cls.id, promote, promote]);
        confirmed += promote;
        waitlisted -= promote;
      }
    }
    await sql(db, SET_COUNTS, [cls.id, confirmed, waitlisted]);
    await sql(db, FREE_WEEK, [b!.member_id, b!.iso_week]);
    return done!;
  });
