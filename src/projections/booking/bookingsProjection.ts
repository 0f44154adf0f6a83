import type { z } from 'zod';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionDefinition } from '../engine/projection';
import { flushAll, RowCache, type Instant } from '../engine/rowCache';
import { singleFacts } from '../engine/singleFacts';
import {
  type Attendance,
  type CancellationReason,
  attendanceMarkedSchema,
  bookingCanceledSchema,
  bookingConfirmedSchema,
  bookingPromotedSchema,
  bookingSlotClaimedSchema,
  bookingSlotReleasedSchema,
  bookingWaitlistedSchema,
  BOOKING_QUOTA_EVENT_TYPES,
  CLASS_BOOKING_EVENT_TYPES,
} from '../../events/booking/bookingEvents';

/**
 * `bookings`: one row per booking, for members, trainers, admins and analysts.
 *   id, member_id, event_id (the class), society_id, status `confirmed` | `waitlist` | `canceled`,
 *   waitlist_position (1-based, current; null unless waitlisted), week (ISO week of the class's
 *   society-local date: the weekly limit's week), booking_date (UTC date booked), booked_at,
 *   booked_by (the member, or the admin who booked for them), canceled_at, canceled_by,
 *   cancel_reason (`member` | `admin` | `class-canceled` | `waitlist-expired`), promoted_at,
 *   attendance (`present` | `no_show` | null), attendance_marked_at, attendance_marked_by.
 *   `class_revision` is the class stream revision the row was last written at: replays never
 *   roll a row back nor shift a waitlist twice.
 *
 * `booking_quota_claims`: one row per weekly slot claim (booking_id, member_id, week, class_id,
 *   society_id, requested_by, claimed_at, released_at, release_reason) — the reconciler looks
 *   here for claims whose booking never reached the class.
 */
export const bookingsProjection: ProjectionDefinition = {
  name: 'bookings',
  version: 1,
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
    { ...bookingChanges(fact), class_revision: fact.event.revision, updated_at: fact.event.createdAt },
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

export interface BookingRow extends Record<string, unknown> {
  id: string;
  member_id: string;
  event_id: string;
  society_id: string;
  status: 'confirmed' | 'waitlist' | 'canceled';
  waitlist_position: number | null;
  week: string;
  /** DATE: `YYYY-MM-DD` (RowCache loads DATE columns as text). */
  booking_date: string;
  booked_at: Instant;
  booked_by: string | null;
  promoted_at: Instant | null;
  canceled_at: Instant | null;
  canceled_by: string | null;
  cancel_reason: CancellationReason | null;
  attendance: Attendance | null;
  attendance_marked_at: Instant | null;
  attendance_marked_by: string | null;
  class_revision: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface QuotaClaimRow extends Record<string, unknown> {
  booking_id: string;
  member_id: string;
  week: string;
  class_id: string;
  society_id: string;
  requested_by: string | null;
  claimed_at: Instant;
  released_at: Instant | null;
  release_reason: string | null;
}

type Placed =
  z.infer<typeof bookingWaitlistedSchema> | (z.infer<typeof bookingConfirmedSchema> & { position: null });

/** A fact of the class stream: its revision orders it against the rows' `class_revision`. */
type ClassBookingFact = { event: RecordedEvent } & (
  | { kind: 'placed'; data: Placed; status: 'confirmed' | 'waitlist' }
  | { kind: 'promoted'; data: z.infer<typeof bookingPromotedSchema> }
  | { kind: 'canceled'; data: z.infer<typeof bookingCanceledSchema> }
  | { kind: 'attendance'; data: z.infer<typeof attendanceMarkedSchema> }
);
/** A fact of a weekly-quota stream: claims are written once and released once, whatever the revision. */
type QuotaFact =
  | { kind: 'claimed'; data: z.infer<typeof bookingSlotClaimedSchema> }
  | { kind: 'released'; data: z.infer<typeof bookingSlotReleasedSchema> };
type BookingFact = ClassBookingFact | QuotaFact;

const bookingFact = (event: RecordedEvent): BookingFact => {
  switch (event.type) {
    case 'BookingConfirmed':
      return {
        kind: 'placed',
        status: 'confirmed',
        data: { ...bookingConfirmedSchema.parse(event.data), position: null },
        event,
      };
    case 'BookingWaitlisted':
      return { kind: 'placed', status: 'waitlist', data: bookingWaitlistedSchema.parse(event.data), event };
    case 'BookingPromoted':
      return { kind: 'promoted', data: bookingPromotedSchema.parse(event.data), event };
    case 'BookingCanceled':
      return { kind: 'canceled', data: bookingCanceledSchema.parse(event.data), event };
    case 'AttendanceMarked':
      return { kind: 'attendance', data: attendanceMarkedSchema.parse(event.data), event };
    case 'BookingSlotClaimed':
      return { kind: 'claimed', data: bookingSlotClaimedSchema.parse(event.data) };
    case 'BookingSlotReleased':
      return { kind: 'released', data: bookingSlotReleasedSchema.parse(event.data) };
    default:
      throw new Error(`bookings: no handler for ${event.type}`);
  }
};

const isClassBookingFact = (fact: BookingFact): fact is ClassBookingFact =>
  fact.kind !== 'claimed' && fact.kind !== 'released';

/** The waitlist place this fact frees (everyone behind it moves up), or null. */
const leftWaitlistAt = (fact: ClassBookingFact): number | null => {
  if (fact.kind === 'promoted') return fact.data.fromPosition;
  if (fact.kind === 'canceled') return fact.data.waitlistPosition;
  return null;
};

/** The bookings as the batch has folded them so far. */
interface BookingsView {
  booking(id: string): BookingRow | undefined;
  /** The class's waitlisted bookings; only for a class whose bookings were all loaded. */
  waitlisted(classId: string): BookingRow[];
}

/**
 * The booking rows one class fact writes: the new booking, or the bookings behind a place that
 * left the waitlist and then the booking it names. A class event at or below a row's `class_revision` was applied already (a replay),
 * so it neither rolls the row back nor shifts the waitlist twice.
 */
export const evolveBookings = (view: BookingsView, fact: ClassBookingFact): BookingRow[] => {
  const { data, event } = fact;
  if (fact.kind === 'placed') {
    if (view.booking(data.bookingId)) return [];
    const d = fact.data;
    return [
      {
        id: d.bookingId,
        member_id: d.memberId,
        event_id: d.classId,
        society_id: d.societyId,
        status: fact.status,
        waitlist_position: d.position,
        week: d.week,
        booking_date: d.bookedAt.slice(0, 10),
        booked_at: d.bookedAt,
        booked_by: d.bookedBy,
        promoted_at: null,
        canceled_at: null,
        canceled_by: null,
        cancel_reason: null,
        attendance: null,
        attendance_marked_at: null,
        attendance_marked_by: null,
        class_revision: event.revision,
        // The decision's own time, so the booking's answer and later reads agree to the millisecond.
        created_at: d.bookedAt,
        updated_at: d.bookedAt,
      },
    ];
  }
  const freed = leftWaitlistAt(fact);
  const movedUp =
    freed === null
      ? []
      : view
          .waitlisted(data.classId)
          .filter((row) => row.waitlist_position !== null && row.waitlist_position > freed)
          .flatMap((row) => rewritten(row, event, { waitlist_position: row.waitlist_position! - 1 }) ?? []);
  // The shift comes first, as it did in SQL: a booking it already wrote at this revision stays as shifted.
  const booking = movedUp.find((row) => row.id === data.bookingId) ?? view.booking(data.bookingId);
  const changed = booking && rewritten(booking, event, bookingChanges(fact));
  return changed ? [...movedUp, changed] : movedUp;
};

/** What a promotion, cancellation or attendance changes on the booking it names. */
const bookingChanges = (fact: Exclude<ClassBookingFact, { kind: 'placed' }>): Partial<BookingRow> => {
  switch (fact.kind) {
    case 'promoted':
      return { status: 'confirmed', waitlist_position: null, promoted_at: fact.event.createdAt };
    case 'canceled':
      return {
        status: 'canceled',
        waitlist_position: null,
        canceled_at: fact.data.canceledAt,
        canceled_by: fact.data.canceledBy,
        cancel_reason: fact.data.reason,
      };
    case 'attendance':
      return {
        attendance: fact.data.attendance,
        attendance_marked_at: fact.data.markedAt,
        attendance_marked_by: fact.data.markedBy,
      };
  }
};

/** The row after a class event changed it, or undefined when a later (or this) class event already wrote it. */
const rewritten = (
  row: BookingRow,
  event: RecordedEvent,
  changes: Partial<BookingRow>,
): BookingRow | undefined =>
  row.class_revision >= event.revision
    ? undefined
    : {
        ...row,
        ...changes,
        class_revision: event.revision,
        updated_at: event.createdAt,
      };

/** A claim is written once and released once; a replayed release keeps the first release. */
export const evolveQuotaClaim = (
  row: QuotaClaimRow | undefined,
  fact: QuotaFact,
): QuotaClaimRow | undefined => {
  if (fact.kind === 'claimed') {
    if (row) return undefined;
    const d = fact.data;
    return {
      booking_id: d.bookingId,
      member_id: d.memberId,
      week: d.week,
      class_id: d.classId,
      society_id: d.societyId,
      requested_by: d.requestedBy,
      claimed_at: d.claimedAt,
      released_at: null,
      release_reason: null,
    };
  }
  if (!row || row.released_at !== null) return undefined;
  return { ...row, released_at: fact.data.releasedAt, release_reason: fact.data.reason };
};

/**
 * Which bookings of each class are waitlisted right now in the batch: a shift reads a class's
 * queue once per fact, so it should not scan every row the batch loaded.
 */
class ClassWaitlists {
  private readonly byClass = new Map<string, Set<string>>();

  constructor(waitlisted: Iterable<BookingRow>) {
    for (const row of waitlisted) this.track(row);
  }

  of(classId: string): string[] {
    return [...(this.byClass.get(classId) ?? [])];
  }

  /** Follows a row just written: in the class's queue while it is waitlisted. */
  track(row: BookingRow): void {
    const queue = this.byClass.get(row.event_id);
    if (row.status !== 'waitlist') queue?.delete(row.id);
    else if (queue) queue.add(row.id);
    else this.byClass.set(row.event_id, new Set([row.id]));
  }
}
