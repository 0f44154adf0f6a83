import { classAlreadyStarted } from '../classes/classStarted';
import { isRefusal, refuse, type Decider, type DecisionContext, type Refusal } from '../handling/decider';
import { classDecider, type ClassState, type ScheduledClass } from '../classes/classDecider';
import type { ClassEvent } from '../../events/classes/classEvents';
import type {
  Attendance,
  BookingCanceled,
  BookingPromoted,
  CancellationReason,
  ClassBookingEvent,
} from '../../events/booking/bookingEvents';
import { bookingWeekOf } from './bookingWeek';
import { emptySeats, evolveSeats, withStatus, type Seats } from './classSeats';

export interface ClassSeatsState {
  readonly cls: ClassState;
  readonly seats: Seats;
}

export interface BookSeat {
  type: 'BookSeat';
  bookingId: string;
  memberId: string;
  societyId: string;
  /** The week the caller claimed a slot in: if the class moved to another week since, refuse. */
  week: string;
  /**
   * The class's times the weekly slot was claimed with: if the class moved since, refuse (the
   * slot would hold the member's old time; its overlaps would be checked there).
   */
  startsAt: string;
  endsAt: string;
  bookedBy: string | null;
  societyMaxMembersPerEvent: number;
}

export type ClassSeatsCommand =
  | BookSeat
  /** Several bookings decided one after another in one append; a refused one is simply left out. */
  | { type: 'BookSeats'; requests: readonly BookSeat[] }
  | {
      type: 'CancelBooking';
      bookingId: string;
      canceledBy: string | null;
      /** Admins may cancel at any time; members only until the cutoff before the start. */
      byAdmin: boolean;
      cancellationCutoffMinutes: number;
      societyMaxMembersPerEvent: number;
    }
  | { type: 'MarkAttendance'; bookingId: string; attendance: Attendance; markedBy: string | null }
  | { type: 'CancelClassWithBookings'; reason: string; canceledBy: string | null }
  | { type: 'ExpireWaitlist' };

export type ClassSeatsEvent = ClassEvent | ClassBookingEvent;

/** min(class max_members, society max_members_per_event) (docs/architecture.md, "Rules across streams", 2). */
export const capacityOf = (cls: ScheduledClass, societyMaxMembersPerEvent: number) =>
  Math.min(cls.maxMembers, societyMaxMembersPerEvent);

const isBookingEvent = (event: ClassSeatsEvent): event is ClassBookingEvent =>
  event.type.startsWith('Booking') || event.type === 'AttendanceMarked';

const bookingNotFound = (bookingId: string) =>
  refuse('booking-not-found', 404, 'Booking not found', `No booking ${bookingId}`);

const started = (cls: ScheduledClass, now: Date) => Date.parse(cls.startsAt) <= now.getTime();

const cutoffOf = (cls: ScheduledClass, minutes: number) =>
  new Date(Date.parse(cls.startsAt) - minutes * 60_000);

/**
 * Cancels the given bookings in one decision. A freed seat goes to the head of the waitlist in the
 * same append (so no one can take it in between) while the class is still outside the cutoff;
 * after the cutoff a freed seat is simply bookable.
 */
const cancelAndPromote = (
  state: { cls: ScheduledClass; seats: Seats },
  bookingIds: readonly string[],
  cancellation: {
    reason: CancellationReason;
    canceledBy: string | null;
    capacity: number;
    /** False past the cutoff, or when the class itself ends. */
    promote: boolean;
  },
  ctx: DecisionContext,
): ClassBookingEvent[] => {
  const { cls } = state;
  let { seats } = state;
  const events: ClassBookingEvent[] = [];
  const seatsLeft = (s: Seats, capacity: number) => Math.max(0, capacity - s.confirmed);
  const { capacity } = cancellation;
  for (const bookingId of bookingIds) {
    const holder = seats.bookings.get(bookingId)!;
    const position = holder.status === 'waitlist' ? seats.waitlist.indexOf(bookingId) + 1 : null;
    const previousStatus = holder.status === 'waitlist' ? 'waitlist' : 'confirmed';
    seats = withStatus(seats, bookingId, 'canceled');
    const canceled: BookingCanceled = {
      type: 'BookingCanceled',
      data: {
        bookingId,
        classId: cls.classId,
        memberId: holder.memberId,
        week: holder.week,
        previousStatus,
        waitlistPosition: position,
        reason: cancellation.reason,
        canceledBy: cancellation.canceledBy,
        canceledAt: ctx.now.toISOString(),
        seatsLeft: seatsLeft(seats, capacity),
      },
    };
    events.push(canceled);
  }
  if (cancellation.promote) {
    while (seats.confirmed < capacity && seats.waitlist.length > 0) {
      const next = seats.waitlist[0]!;
      seats = withStatus(seats, next, 'confirmed');
      const promoted: BookingPromoted = {
        type: 'BookingPromoted',
        data: {
          bookingId: next,
          classId: cls.classId,
          memberId: seats.bookings.get(next)!.memberId,
          fromPosition: 1,
          seatsLeft: seatsLeft(seats, capacity),
        },
      };
      events.push(promoted);
    }
  }
  return events;
};

const liveClass = (cls: ClassState, now: Date): Refusal | ScheduledClass => {
  if (!cls.exists) return refuse('class-not-found', 404, 'Class not found');
  if (cls.canceled) return refuse('class-canceled', 422, 'The class has been canceled');
  if (started(cls, now))
    return classAlreadyStarted(cls, 'a class is booked before it starts; book a later class (GET /events).');
  return cls;
};

const movedSince = (cls: ScheduledClass, claimed: { startsAt: string; endsAt: string }) =>
  Date.parse(cls.startsAt) !== Date.parse(claimed.startsAt) ||
  Date.parse(cls.endsAt) !== Date.parse(claimed.endsAt);

/** Seat or waitlist place for one booking, or why not. */
const decideSeat = (
  command: BookSeat,
  cls: ClassState,
  seats: Seats,
  ctx: DecisionContext,
): ClassBookingEvent[] | Refusal => {
  const known = seats.bookings.get(command.bookingId);
  // The same booking again (a retry, or the reconciler finishing it): nothing more to do.
  if (known) return [];
  const live = liveClass(cls, ctx.now);
  if (isRefusal(live)) return live;
  if (live.societyId !== command.societyId)
    return refuse('member-not-eligible', 422, 'Only members of the class’s society may book it');
  if (bookingWeekOf(live.date) !== command.week || movedSince(live, command))
    return refuse(
      'class-changed-concurrently',
      409,
      'The class moved while this booking was being made',
      'Book it again.',
    );
  if (seats.liveByMember.has(command.memberId))
    return refuse('already-booked', 409, 'You already have a booking for this class', undefined, {
      booking_id: seats.liveByMember.get(command.memberId),
    });
  const placed = {
    bookingId: command.bookingId,
    classId: live.classId,
    memberId: command.memberId,
    societyId: live.societyId,
    week: command.week,
    bookedBy: command.bookedBy,
    bookedAt: ctx.now.toISOString(),
  };
  const capacity = capacityOf(live, command.societyMaxMembersPerEvent);
  return seats.confirmed < capacity
    ? [{ type: 'BookingConfirmed', data: { ...placed, seatsLeft: capacity - seats.confirmed - 1 } }]
    : [{ type: 'BookingWaitlisted', data: { ...placed, position: seats.waitlist.length + 1 } }];
};

/**
 * Seats of one class, decided only in `class-<id>` (docs/architecture.md, "Rules across streams", 2): confirm while seats
 * remain, else queue; cancel, promoting the head of the queue in the same append; attendance.
 * It folds the class's own facts with `classDecider`, so it sees cancellations and reschedules.
 */
export const classSeatsDecider: Decider<ClassSeatsState, ClassSeatsCommand, ClassSeatsEvent> = {
  initialState: () => ({ cls: classDecider.initialState(), seats: emptySeats }),
  evolve: (state, event) =>
    isBookingEvent(event)
      ? { ...state, seats: evolveSeats(state.seats, event) }
      : { ...state, cls: classDecider.evolve(state.cls, event) },
  decide: (command, { cls, seats }, ctx) => {
    switch (command.type) {
      case 'BookSeat':
        return decideSeat(command, cls, seats, ctx);
      case 'BookSeats': {
        // Group commit: each request is decided on the state the earlier ones left.
        let state: ClassSeatsState = { cls, seats };
        const events: ClassSeatsEvent[] = [];
        for (const request of command.requests) {
          const decision = decideSeat(request, state.cls, state.seats, ctx);
          if (isRefusal(decision)) continue;
          events.push(...decision);
          state = decision.reduce(classSeatsDecider.evolve, state);
        }
        return events;
      }
      case 'CancelBooking': {
        if (!cls.exists) return refuse('class-not-found', 404, 'Class not found');
        const holder = seats.bookings.get(command.bookingId);
        if (!holder) return bookingNotFound(command.bookingId);
        // Cancelling twice is not an error: the booking is canceled, as asked.
        if (holder.status === 'canceled') return [];
        const cutoff = cutoffOf(cls, command.cancellationCutoffMinutes);
        const pastCutoff = ctx.now.getTime() > cutoff.getTime();
        // Leaving the waitlist costs nobody a seat, so the cutoff guards confirmed seats only.
        if (pastCutoff && !command.byAdmin && holder.status === 'confirmed')
          return refuse(
            'cancellation-cutoff-passed',
            422,
            'Too late to cancel this booking',
            `Bookings can be canceled until ${command.cancellationCutoffMinutes} minutes before the class starts (${cutoff.toISOString()}).`,
            { cutoff: cutoff.toISOString(), starts_at: cls.startsAt },
          );
        const capacity = capacityOf(cls, command.societyMaxMembersPerEvent);
        return cancelAndPromote(
          { cls, seats },
          [command.bookingId],
          {
            reason: command.byAdmin ? 'admin' : 'member',
            canceledBy: command.canceledBy,
            capacity,
            promote: !pastCutoff && !cls.canceled && !started(cls, ctx.now),
          },
          ctx,
        );
      }
      case 'MarkAttendance': {
        if (!cls.exists) return refuse('class-not-found', 404, 'Class not found');
        const holder = seats.bookings.get(command.bookingId);
        if (!holder) return bookingNotFound(command.bookingId);
        if (cls.canceled) return refuse('class-canceled', 422, 'The class has been canceled');
        if (holder.status !== 'confirmed')
          return refuse('booking-not-confirmed', 422, 'Attendance is kept for confirmed bookings only');
        if (!started(cls, ctx.now))
          return refuse(
            'class-not-started',
            422,
            'Attendance is marked once the class has started',
            cls.startsAt,
          );
        if (holder.attendance === command.attendance) return [];
        return [
          {
            type: 'AttendanceMarked',
            data: {
              bookingId: command.bookingId,
              classId: cls.classId,
              memberId: holder.memberId,
              attendance: command.attendance,
              markedBy: command.markedBy,
              markedAt: ctx.now.toISOString(),
            },
          },
        ];
      }
      case 'CancelClassWithBookings': {
        const decision = classDecider.decide(
          { type: 'CancelClass', reason: command.reason, canceledBy: command.canceledBy },
          cls,
          ctx,
        );
        if (isRefusal(decision) || !cls.exists) return decision;
        // The class and its bookings end in one append: no booking outlives its class.
        return [
          ...decision,
          ...cancelAndPromote(
            { cls, seats },
            [...seats.liveByMember.values()],
            {
              reason: 'class-canceled',
              canceledBy: command.canceledBy,
              capacity: cls.maxMembers,
              promote: false,
            },
            ctx,
          ),
        ];
      }
      case 'ExpireWaitlist': {
        if (!cls.exists || !started(cls, ctx.now)) return [];
        return cancelAndPromote(
          { cls, seats },
          seats.waitlist,
          { reason: 'waitlist-expired', canceledBy: null, capacity: cls.maxMembers, promote: false },
          ctx,
        );
      }
    }
  },
};
