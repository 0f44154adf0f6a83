import type { z } from 'zod';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { Instant } from '../engine/rowCache';
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
} from '../../events/booking/bookingEvents';

/**
 * The bookings read model's rows and how its facts fold into them (pure): a booking row per class
 * booking, a claim row per weekly slot claim. bookingsProjection.ts loads, folds and writes.
 */
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
export type ClassBookingFact = { event: RecordedEvent } & (
  | { kind: 'placed'; data: Placed; status: 'confirmed' | 'waitlist' }
  | { kind: 'promoted'; data: z.infer<typeof bookingPromotedSchema> }
  | { kind: 'canceled'; data: z.infer<typeof bookingCanceledSchema> }
  | { kind: 'attendance'; data: z.infer<typeof attendanceMarkedSchema> }
);
/** A fact of a weekly-quota stream: claims are written once and released once, whatever the revision. */
export type QuotaFact =
  | { kind: 'claimed'; data: z.infer<typeof bookingSlotClaimedSchema> }
  | { kind: 'released'; data: z.infer<typeof bookingSlotReleasedSchema> };
type BookingFact = ClassBookingFact | QuotaFact;

export const bookingFact = (event: RecordedEvent): BookingFact => {
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

export const isClassBookingFact = (fact: BookingFact): fact is ClassBookingFact =>
  fact.kind !== 'claimed' && fact.kind !== 'released';

/** The waitlist place this fact frees (everyone behind it moves up), or null. */
export const leftWaitlistAt = (fact: ClassBookingFact): number | null => {
  if (fact.kind === 'promoted') return fact.data.fromPosition;
  if (fact.kind === 'canceled') return fact.data.waitlistPosition;
  return null;
};

/** The bookings as the batch has folded them so far. */
export interface BookingsView {
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
          .flatMap((row) => rewritten(row, fact, { waitlist_position: row.waitlist_position! - 1 }) ?? []);
  // The shift comes first, as it did in SQL: a booking it already wrote at this revision stays as shifted.
  const booking = movedUp.find((row) => row.id === data.bookingId) ?? view.booking(data.bookingId);
  const changed = booking && rewritten(booking, fact, bookingChanges(fact));
  return changed ? [...movedUp, changed] : movedUp;
};

/** What a promotion, cancellation or attendance changes on the booking it names. */
export const bookingChanges = (fact: Exclude<ClassBookingFact, { kind: 'placed' }>): Partial<BookingRow> => {
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

/**
 * When a fact changed the rows it writes (`updated_at`): a cancellation's own decision time
 * (`canceledAt`, which `canceled_at` shows too), so the DELETE's answer, built from the decision
 * before the store stamps the event, is what later reads show to the millisecond. Facts that
 * record no time of their own (a promotion) take the store's.
 */
export const changedAt = (fact: Exclude<ClassBookingFact, { kind: 'placed' }>): Instant =>
  fact.kind === 'canceled' ? fact.data.canceledAt : fact.event.createdAt;

/** The row after a class event changed it, or undefined when a later (or this) class event already wrote it. */
const rewritten = (
  row: BookingRow,
  fact: Exclude<ClassBookingFact, { kind: 'placed' }>,
  changes: Partial<BookingRow>,
): BookingRow | undefined =>
  row.class_revision >= fact.event.revision
    ? undefined
    : {
        ...row,
        ...changes,
        class_revision: fact.event.revision,
        updated_at: changedAt(fact),
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
export class ClassWaitlists {
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
