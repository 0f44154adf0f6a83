import type { ProjectionDefinition } from '../engine/projection';
import { flushAll, RowCache } from '../engine/rowCache';
import { singleFacts } from '../engine/singleFacts';
import {
  type BookingRow,
  type QuotaClaimRow,
  type ClassBookingFact,
  type QuotaFact,
  bookingFact,
  isClassBookingFact,
  leftWaitlistAt,
  type BookingsView,
  evolveBookings,
  bookingChanges,
  changedAt,
  evolveQuotaClaim,
  ClassWaitlists,
} from './bookingFacts';
import { BOOKING_QUOTA_EVENT_TYPES, CLASS_BOOKING_EVENT_TYPES } from '../../events/booking/bookingEvents';

/**
 * `bookings`: one row per booking, for members, trainers, admins and analysts.
 *   id, member_id, event_id (the class), society_id, status `confirmed` | `waitlist` | `canceled`,
 *   waitlist_position (1-based, current; null unless waitlisted), week (ISO week of the class's
 *   society-local date: the weekly limit's week), booking_date (UTC date booked), booked_at,
 *   booked_by (the member, or the admin who booked for them), canceled_at, canceled_by,
 *   cancel_reason (`member` | `admin` | `class-canceled` | `waitlist-expired`), promoted_at,
 *   attendance (`present` | `no_show` | null), attendance_marked_at, attendance_marked_by,
 *   created_at (booked_at), updated_at (the last change's decision time where the fact records
 *   one: booked_at, canceled_at; else when the store recorded the fact).
 *   `class_revision` is the class stream revision the row was last written at: replays never
 *   roll a row back nor shift a waitlist twice.
 *
 * `booking_quota_claims`: one row per weekly slot claim (booking_id, member_id, week, class_id,
 *   society_id, requested_by, claimed_at, released_at, release_reason) — the reconciler looks
 *   here for claims whose booking never reached the class.
 */
export const bookingsProjection: ProjectionDefinition = {
  name: 'bookings',
  // v2: a cancellation's rows take its decision time (`canceledAt`) as `updated_at`, not the
  // store's stamp, so the DELETE's answer needs no read after the wait (bookingFacts.changedAt).
  version: 2,
  tables: {
    bookings: (t) => {
      t.uuid('id').primary();
      t.uuid('member_id').notNullable();
      t.uuid('event_id').notNullable();
      t.uuid('society_id').notNullable();
      t.text('status').notNullable();
      t.integer('waitlist_position');
      t.text('week').notNullable();
      t.date('booking_date').notNullable();
      t.timestamp('booked_at', { useTz: true }).notNullable();
      t.uuid('booked_by');
      t.timestamp('promoted_at', { useTz: true });
      t.timestamp('canceled_at', { useTz: true });
      t.uuid('canceled_by');
      t.text('cancel_reason');
      t.text('attendance');
      t.timestamp('attendance_marked_at', { useTz: true });
      t.uuid('attendance_marked_by');
      t.integer('class_revision').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.index(['member_id', 'booked_at']);
      t.index(['event_id', 'status', 'waitlist_position']);
      t.index(['society_id', 'booked_at']);
    },
    booking_quota_claims: (t) => {
      t.uuid('booking_id').primary();
      t.uuid('member_id').notNullable();
      t.text('week').notNullable();
      t.uuid('class_id').notNullable();
      t.uuid('society_id').notNullable();
      t.uuid('requested_by');
      t.timestamp('claimed_at', { useTz: true }).notNullable();
      t.timestamp('released_at', { useTz: true });
      t.text('release_reason');
      t.index(['released_at', 'claimed_at']);
      t.index(['member_id', 'week']);
    },
  },
  handles: [...CLASS_BOOKING_EVENT_TYPES, ...BOOKING_QUOTA_EVENT_TYPES],
  applyBatch: async (events, { trx, table }) => {
    const bookings = new RowCache<BookingRow>(trx, table('bookings'), ['id']);
    const claims = new RowCache<QuotaClaimRow>(trx, table('booking_quota_claims'), ['booking_id']);
    const facts = events.map(bookingFact);
    const classFacts = facts.filter(isClassBookingFact);
    const quotaFacts = facts.filter((f): f is QuotaFact => !isClassBookingFact(f));
    // A waitlist shift touches every booking behind the place that left, not only the one named.
    const shifting = new Set(classFacts.filter((f) => leftWaitlistAt(f) !== null).map((f) => f.data.classId));
    // A booking's or claim's only fact in the batch writes without a load (the live case: one each).
    const unloadedBookings = new Map(
      [...singleFacts(classFacts, (f) => f.data.bookingId)].filter(([, f]) => !shifting.has(f.data.classId)),
    );
    const unloadedClaims = singleFacts(quotaFacts, (f) => f.data.bookingId);
    for (const fact of unloadedBookings.values()) writeBookingUnloaded(bookings, fact);
    for (const fact of unloadedClaims.values()) writeClaimUnloaded(claims, fact);
    const folded = classFacts.filter((f) => !unloadedBookings.has(f.data.bookingId));
    await bookings.load(folded.map((f) => f.data.bookingId));
    await bookings.loadWhere('event_id', shifting);
    await claims.load(
      quotaFacts.filter((f) => !unloadedClaims.has(f.data.bookingId)).map((f) => f.data.bookingId),
    );

    const waitlists = new ClassWaitlists(bookings.where((row) => row.status === 'waitlist'));
    const view: BookingsView = {
      booking: (id) => bookings.get(id),
      waitlisted: (classId) => waitlists.of(classId).map((id) => bookings.get(id)!),
    };
    for (const fact of folded)
      for (const row of evolveBookings(view, fact)) {
        bookings.put(row);
        waitlists.track(row);
      }
    for (const fact of quotaFacts) {
      if (unloadedClaims.has(fact.data.bookingId)) continue;
      const next = evolveQuotaClaim(claims.get(fact.data.bookingId), fact);
      if (next) claims.put(next);
    }
    await flushAll(bookings, claims);
  },
};

/** A booking's only fact in the batch, written unloaded: what evolveBookings would write, as SQL. */
const writeBookingUnloaded = (bookings: RowCache<BookingRow>, fact: ClassBookingFact): void => {
  if (fact.kind === 'placed') {
    const [row] = evolveBookings({ booking: () => undefined, waitlisted: () => [] }, fact);
    bookings.createUnlessPresent(row!);
    return;
  }
  // Like `rewritten`: only a row last written below this class revision changes.
  bookings.patch(
    fact.data.bookingId,
    { ...bookingChanges(fact), class_revision: fact.event.revision, updated_at: changedAt(fact) },
    { column: 'class_revision', below: fact.event.revision },
  );
};

/** A claim's only fact in the batch, written unloaded: created once, released once (evolveQuotaClaim). */
const writeClaimUnloaded = (claims: RowCache<QuotaClaimRow>, fact: QuotaFact): void => {
  if (fact.kind === 'claimed') claims.createUnlessPresent(evolveQuotaClaim(undefined, fact)!);
  else
    claims.patch(
      fact.data.bookingId,
      { released_at: fact.data.releasedAt, release_reason: fact.data.reason },
      { column: 'released_at' },
    );
};
