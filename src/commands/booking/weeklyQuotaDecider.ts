import { refuse, type Decider } from '../handling/decider';
import type { BookingQuotaEvent, BookingSlotClaimed } from '../../events/booking/bookingEvents';

export type WeeklyQuotaCommand =
  | ({ type: 'ClaimBookingSlot' } & Omit<BookingSlotClaimed['data'], 'claimedAt'>)
  | {
      type: 'ReleaseBookingSlot';
      bookingId: string;
      reason: 'booking-refused' | 'booking-canceled' | 'reconciled';
    }
  /**
   * The booking's class moved: its slot follows (never refused, the class has moved). Times read
   * at `classRevision` of the class stream; a move read at an earlier revision changes nothing.
   */
  | {
      type: 'MoveBookingSlot';
      bookingId: string;
      startsAt: string;
      endsAt: string;
      classRevision: number;
    };

export interface HeldSlot {
  readonly classId: string;
  readonly memberId: string;
  readonly week: string;
  readonly startsAt: string;
  readonly endsAt: string;
  /** The class stream's revision the times were read at, when known. */
  readonly classRevision?: number;
}

/** One member's week: the slots their bookings hold (confirmed or waitlisted), and those given back. */
export interface WeeklyQuotaState {
  readonly held: ReadonlyMap<string, HeldSlot>;
  readonly released: ReadonlySet<string>;
}

/** A booking whose slot was given back (refused or canceled) never takes one again: its id is spent. */
export const bookingEnded = (bookingId: string) =>
  refuse(
    'booking-ended',
    409,
    'This booking was refused or canceled',
    `Booking ${bookingId} has ended; book again with a new Idempotency-Key.`,
  );

const overlaps = (a: HeldSlot, b: { startsAt: string; endsAt: string }) =>
  Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt);

/**
 * A held slot takes its class's new times. Recorded even when the times are the same, so the
 * revision is kept: a slower move of an older revision arriving later then changes nothing.
 */
const moveSlot = (
  command: Extract<WeeklyQuotaCommand, { type: 'MoveBookingSlot' }>,
  state: WeeklyQuotaState,
  now: Date,
): BookingQuotaEvent[] => {
  const slot = state.held.get(command.bookingId);
  if (!slot) return [];
  if (slot.classRevision !== undefined && command.classRevision <= slot.classRevision) return [];
  return [
    {
      type: 'BookingSlotMoved',
      data: {
        bookingId: command.bookingId,
        classId: slot.classId,
        memberId: slot.memberId,
        week: slot.week,
        startsAt: command.startsAt,
        endsAt: command.endsAt,
        classRevision: command.classRevision,
        movedAt: now.toISOString(),
      },
    },
  ];
};

/**
 * The weekly limit, in `booking-quota-<member>-<week>` (docs/architecture.md, "Rules across streams", 1). A waitlist entry
 * holds its slot, so a later promotion never breaks the limit. Overlaps are refused here too: two
 * classes that overlap fall on the same local day, so in the same week, and a waitlisted booking
 * counts because it may become a seat at any moment. A slot follows its class when the class
 * moves (`BookingSlotMoved`, appended by the reschedule), so overlaps are checked at its new time.
 */
export const weeklyQuotaDecider: Decider<WeeklyQuotaState, WeeklyQuotaCommand, BookingQuotaEvent> = {
  initialState: () => ({ held: new Map(), released: new Set() }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'BookingSlotClaimed': {
        const { bookingId, classId, memberId, week, startsAt, endsAt, classRevision } = event.data;
        const slot = { classId, memberId, week, startsAt, endsAt, classRevision };
        return { ...state, held: new Map(state.held).set(bookingId, slot) };
      }
      case 'BookingSlotMoved': {
        const { bookingId, startsAt, endsAt, classRevision } = event.data;
        const slot = state.held.get(bookingId);
        if (!slot) return state;
        const moved = { ...slot, startsAt, endsAt, classRevision };
        return { ...state, held: new Map(state.held).set(bookingId, moved) };
      }
      case 'BookingSlotReleased': {
        const held = new Map(state.held);
        held.delete(event.data.bookingId);
        return { held, released: new Set(state.released).add(event.data.bookingId) };
      }
      default:
        return state;
    }
  },
  decide: (command, state, ctx) => {
    if (command.type === 'ReleaseBookingSlot') {
      const slot = state.held.get(command.bookingId);
      if (!slot) return [];
      return [
        {
          type: 'BookingSlotReleased',
          data: {
            bookingId: command.bookingId,
            memberId: slot.memberId,
            week: slot.week,
            reason: command.reason,
            releasedAt: ctx.now.toISOString(),
          },
        },
      ];
    }
    if (command.type === 'MoveBookingSlot') return moveSlot(command, state, ctx.now);
    const { type: _t, ...claim } = command;
    // A retry of this very booking: the slot is already held.
    if (state.held.has(claim.bookingId)) return [];
    if (state.released.has(claim.bookingId)) return bookingEnded(claim.bookingId);
    const clash = [...state.held.values()].find((s) => s.classId === claim.classId);
    if (clash)
      return refuse('already-booked', 409, 'You already have a booking for this class', undefined, {
        event_id: claim.classId,
      });
    const overlapping = [...state.held.values()].find((s) => overlaps(s, claim));
    if (overlapping)
      return refuse(
        'booking-overlap',
        422,
        'You already have a class at that time',
        `Your booking for class ${overlapping.classId} overlaps this one.`,
        { overlapping_event_id: overlapping.classId },
      );
    if (state.held.size >= claim.limit)
      return refuse(
        'weekly-limit-reached',
        422,
        'Weekly booking limit reached',
        `At most ${claim.limit} bookings in week ${claim.week}; cancel one to book another.`,
        { limit: claim.limit, week: claim.week },
      );
    return [{ type: 'BookingSlotClaimed', data: { ...claim, claimedAt: ctx.now.toISOString() } }];
  },
};
