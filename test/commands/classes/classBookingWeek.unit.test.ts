import {
  classDecider,
  type ClassCommand,
  type ClassState,
  type ClassStreamEvent,
} from '../../../src/commands/classes/classDecider';
import {
  classSeatsDecider,
  type ClassSeatsCommand,
  type ClassSeatsEvent,
} from '../../../src/commands/booking/classSeatsDecider';
import { isRefusal, type DecisionContext } from '../../../src/commands/handling/decider';
import { deciderSpec } from '../../support/deciderSpec';
import {
  booking,
  bookingCanceled,
  bookingConfirmed,
  bookingWaitlisted,
  classId,
  classScheduled,
  classTimes,
  member,
  NOW,
  societyId,
  week,
} from '../../support/booking/classStreamFixtures';

// The spec's clock is 2026-03-01T10:00:00Z; the class is on Monday 2026-03-02 (2026-W10) at
// 10:00 in Asia/Kolkata. Sunday 2026-03-08 is still W10; Monday 2026-03-09 is W11.
const ctx: DecisionContext = {
  now: new Date('2026-03-01T10:00:00Z'),
  newId: () => '00000000-0000-4000-8000-000000000001',
};
const spec = deciderSpec<ClassState, ClassCommand, ClassStreamEvent>(classDecider, ctx);
const scheduled = classScheduled(1);
const confirmed = (n: number): ClassStreamEvent => bookingConfirmed(n, 0);
const waitlisted = (n: number, position = 1): ClassStreamEvent => bookingWaitlisted(n, position);
const promoted = (n: number): ClassStreamEvent => ({
  type: 'BookingPromoted',
  data: { bookingId: booking(n), classId, memberId: member(n), fromPosition: 1, seatsLeft: 0 },
});
const canceled = (
  n: number,
  previousStatus: 'confirmed' | 'waitlist' = 'confirmed',
  reason: 'member' | 'class-canceled' = 'member',
): ClassStreamEvent =>
  bookingCanceled(n, {
    previousStatus,
    waitlistPosition: previousStatus === 'waitlist' ? 1 : null,
    reason,
    canceledBy: null,
  });
const classCanceled: ClassStreamEvent = {
  type: 'ClassCanceled',
  data: { classId, reason: 'rain', canceledBy: null, trainerId: null, date: '2026-03-02' },
};

/** Same time of day on another date (Kolkata has no DST: 10:00 is always 04:30Z). */
const moveTo = (date: string): ClassCommand => ({
  type: 'RescheduleClass',
  date,
  start: 600,
  end: 660,
  startsAt: `${date}T04:30:00.000Z`,
  endsAt: `${date}T05:30:00.000Z`,
  timezone: 'Asia/Kolkata',
  trainerIdSeen: null,
});
const rescheduled = (date: string): ClassStreamEvent => {
  const {
    type: _t,
    trainerIdSeen: _s,
    ...slot
  } = moveTo(date) as Extract<ClassCommand, { type: 'RescheduleClass' }>;
  return {
    type: 'ClassRescheduled',
    data: { classId, ...slot, previous: { date: '2026-03-02', start: 600, end: 660 } },
  };
};

const stateOf = (events: ClassStreamEvent[]) =>
  events.reduce(classDecider.evolve, classDecider.initialState());
const activeBookings = (events: ClassStreamEvent[]) => {
  const state = stateOf(events);
  return state.exists ? state.activeBookings : undefined;
};

describe('active bookings, as the class decider folds them', () => {
  it('counts confirmed and waitlisted bookings', () => {
    expect(activeBookings([scheduled])).toBe(0);
    expect(activeBookings([scheduled, confirmed(1)])).toBe(1);
    expect(activeBookings([scheduled, confirmed(1), waitlisted(2)])).toBe(2);
  });

  it('keeps a promoted booking and drops a canceled one, from either status', () => {
    // Booking 1 leaves; the head of the waitlist takes its seat in the same append.
    expect(activeBookings([scheduled, confirmed(1), waitlisted(2), canceled(1), promoted(2)])).toBe(1);
    expect(activeBookings([scheduled, confirmed(1), waitlisted(2), canceled(2, 'waitlist')])).toBe(1);
  });

  it('drops every booking a class cancellation cancels in the same append', () => {
    expect(
      activeBookings([
        scheduled,
        confirmed(1),
        waitlisted(2),
        classCanceled,
        canceled(1, 'confirmed', 'class-canceled'),
        canceled(2, 'waitlist', 'class-canceled'),
      ]),
    ).toBe(0);
  });

  it('ignores attendance', () => {
    const marked: ClassStreamEvent = {
      type: 'AttendanceMarked',
      data: {
        bookingId: booking(1),
        classId,
        memberId: member(1),
        attendance: 'present',
        markedBy: null,
        markedAt: NOW,
      },
    };
    expect(activeBookings([scheduled, confirmed(1), marked])).toBe(1);
  });

  it('agrees with the seats decider on the booking facts it decides', () => {
    // Capacity 1: booking 1 confirmed, 2 and 3 waitlisted; 1 cancels (2 promoted), 3 cancels.
    const book = (n: number): ClassSeatsCommand => ({
      type: 'BookSeat',
      bookingId: booking(n),
      memberId: member(n),
      societyId,
      week,
      ...classTimes,
      bookedBy: member(n),
      societyMaxMembersPerEvent: 20,
    });
    const cancel = (n: number): ClassSeatsCommand => ({
      type: 'CancelBooking',
      bookingId: booking(n),
      canceledBy: member(n),
      byAdmin: false,
      cancellationCutoffMinutes: 60,
      societyMaxMembersPerEvent: 20,
    });
    const history: ClassSeatsEvent[] = [scheduled as ClassSeatsEvent];
    let seats = classSeatsDecider.evolve(classSeatsDecider.initialState(), history[0]!);
    for (const command of [book(1), book(2), book(3), cancel(1), cancel(3)]) {
      const decision = classSeatsDecider.decide(command, seats, ctx);
      if (isRefusal(decision)) throw new Error(decision.type);
      history.push(...decision);
      seats = decision.reduce(classSeatsDecider.evolve, seats);
      expect(activeBookings(history)).toBe(seats.seats.liveByMember.size);
    }
    expect(activeBookings(history)).toBe(1);
  });
});

describe('RescheduleClass with bookings', () => {
  it('refuses a move to another booking week while a booking is confirmed', () => {
    const state = stateOf([scheduled, confirmed(1)]);
    const decision = classDecider.decide(moveTo('2026-03-09'), state, ctx);
    expect(isRefusal(decision)).toBe(true);
    expect(decision).toMatchObject({
      type: 'class-has-bookings-in-week',
      status: 422,
      detail: expect.stringMatching(/cancel the class/i),
      extensions: { active_bookings: 1, booking_week: '2026-W10', requested_booking_week: '2026-W11' },
    });
  });

  it('refuses it while only a waitlisted booking remains (it holds its weekly slot too)', () =>
    spec
      // An admin's cancellation past the cutoff frees the seat without promoting the waitlist.
      .given([scheduled, confirmed(1), waitlisted(2), canceled(1)])
      .when(moveTo('2026-03-10'))
      .thenRefused('class-has-bookings-in-week', 422));

  it('counts every active booking in the refusal', () => {
    const state = stateOf([scheduled, confirmed(1), waitlisted(2), waitlisted(3, 2)]);
    expect(classDecider.decide(moveTo('2026-03-09'), state, ctx)).toMatchObject({
      extensions: { active_bookings: 3 },
    });
  });

  it('allows a move within the same booking week, to its last day', () =>
    spec
      .given([scheduled, confirmed(1)])
      .when(moveTo('2026-03-08'))
      .then([rescheduled('2026-03-08')]));

  it('allows a move to another week once the bookings are canceled', () =>
    spec
      .given([scheduled, confirmed(1), waitlisted(2), canceled(1), promoted(2), canceled(2)])
      .when(moveTo('2026-03-09'))
      .then([rescheduled('2026-03-09')]));

  it('allows a move to another week with no bookings at all', () =>
    spec
      .given([scheduled])
      .when(moveTo('2026-03-09'))
      .then([rescheduled('2026-03-09')]));

  it('still refuses a canceled class as canceled, not for its (released) bookings', () =>
    spec
      .given([scheduled, confirmed(1), classCanceled, canceled(1, 'confirmed', 'class-canceled')])
      .when(moveTo('2026-03-09'))
      .thenRefused('class-canceled', 422));
});
