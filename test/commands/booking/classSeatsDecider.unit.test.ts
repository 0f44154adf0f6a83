import { classSeatsDecider, type ClassSeatsCommand } from '../../../src/commands/booking/classSeatsDecider';
import { deciderSpec } from '../../support/deciderSpec';
import {
  booking,
  bookingCanceled as canceled,
  bookingConfirmed as confirmed,
  bookingWaitlisted as waitlisted,
  classId,
  classScheduled as scheduled,
  classTimes,
  member,
  societyId,
  week,
} from '../../support/booking/classStreamFixtures';

// The spec's clock is 2026-03-01T10:00:00Z; the class starts 2026-03-02T04:30Z (10:00 in Kolkata).
const spec = deciderSpec(classSeatsDecider);
const later = (iso: string) =>
  deciderSpec(classSeatsDecider, { now: new Date(iso), newId: () => '00000000-0000-4000-8000-000000000001' });
const book = (
  n: number,
  over: Partial<Extract<ClassSeatsCommand, { type: 'BookSeat' }>> = {},
): ClassSeatsCommand => ({
  type: 'BookSeat',
  bookingId: booking(n),
  memberId: member(n),
  societyId,
  week,
  ...classTimes,
  bookedBy: member(n),
  societyMaxMembersPerEvent: 20,
  ...over,
});
const cancel = (n: number, byAdmin = false): ClassSeatsCommand => ({
  type: 'CancelBooking',
  bookingId: booking(n),
  canceledBy: member(n),
  byAdmin,
  cancellationCutoffMinutes: 60,
  societyMaxMembersPerEvent: 20,
});

describe('booking a seat', () => {
  it('confirms while seats remain, saying how many are left', () =>
    spec
      .given([scheduled(2)])
      .when(book(1))
      .then([confirmed(1, 1)]));

  it('puts the member on the waitlist when the class is full, with their place', () =>
    spec
      .given([scheduled(2), confirmed(1, 1), confirmed(2, 0), waitlisted(3, 1)])
      .when(book(4))
      .then([waitlisted(4, 2)]));

  it('takes seats = min(class max_members, society max_members_per_event)', () =>
    spec
      .given([scheduled(2), confirmed(1, 1)])
      .when(book(2, { societyMaxMembersPerEvent: 1 }))
      .then([waitlisted(2, 1)]));

  it('refuses a second live booking of the same member', () =>
    spec
      .given([scheduled(2), waitlisted(1, 1)])
      .when(book(1, { bookingId: booking(9) }))
      .thenRefused('already-booked', 409));

  it('does nothing for a booking it already holds (a retry, or the reconciler finishing it)', () =>
    spec
      .given([scheduled(2), confirmed(1, 1)])
      .when(book(1))
      .then([]));

  it('refuses a canceled class, a started class, a missing class', () => {
    spec
      .given([
        scheduled(),
        {
          type: 'ClassCanceled',
          data: { classId, reason: 'rain', canceledBy: null, trainerId: null, date: '2026-03-02' },
        },
      ])
      .when(book(1))
      .thenRefused('class-canceled', 422);
    later('2026-03-02T04:30:00.000Z')
      .given([scheduled()])
      .when(book(1))
      .thenRefused('class-already-started', 422);
    spec.given([]).when(book(1)).thenRefused('class-not-found', 404);
  });

  it('refuses a booking whose weekly slot was claimed for another week (the class moved)', () =>
    spec
      .given([scheduled()])
      .when(book(1, { week: '2026-W11' }))
      .thenRefused('class-changed-concurrently', 409));

  it('refuses members of another society', () =>
    spec
      .given([scheduled()])
      .when(book(1, { societyId: '44444444-4444-4444-8444-444444444444' }))
      .thenRefused('member-not-eligible', 422));
});

describe('booking several seats in one append (group commit)', () => {
  it('decides each on the state the earlier ones left, leaving out the refused', () =>
    spec
      .given([scheduled(1)])
      .when({
        type: 'BookSeats',
        requests: [book(1), book(2), book(2, { bookingId: booking(9) }), book(3)].map(
          (c) => c as Extract<ClassSeatsCommand, { type: 'BookSeat' }>,
        ),
      })
      .then([confirmed(1, 0), waitlisted(2, 1), waitlisted(3, 2)]));
});

describe('a seat claimed at times the class has left', () => {
  const rescheduled = {
    type: 'ClassRescheduled' as const,
    data: {
      classId,
      date: '2026-03-02',
      start: 720,
      end: 780,
      startsAt: '2026-03-02T06:30:00.000Z',
      endsAt: '2026-03-02T07:30:00.000Z',
      timezone: 'Asia/Kolkata',
      previous: { date: '2026-03-02', start: 600, end: 660 },
    },
  };

  it('is refused: the weekly slot would hold the member’s old time', () =>
    spec
      .given([scheduled(2), rescheduled])
      .when(book(1))
      .thenRefused('class-changed-concurrently', 409));

  it('is taken when claimed at the class’s new times', () =>
    spec
      .given([scheduled(2), rescheduled])
      .when(book(1, { startsAt: rescheduled.data.startsAt, endsAt: rescheduled.data.endsAt }))
      .then([confirmed(1, 1)]));
});

describe('canceling', () => {
  it('promotes the head of the waitlist in the same append as the cancellation', () =>
    spec
      .given([scheduled(2), confirmed(1, 1), confirmed(2, 0), waitlisted(3, 1), waitlisted(4, 2)])
      .when(cancel(1))
      .then([
        canceled(1, { seatsLeft: 1 }),
        {
          type: 'BookingPromoted',
          data: { bookingId: booking(3), classId, memberId: member(3), fromPosition: 1, seatsLeft: 0 },
        },
      ]));

  it('leaves the waitlist, giving the place it left', () =>
    spec
      .given([scheduled(1), confirmed(1, 0), waitlisted(2, 1), waitlisted(3, 2)])
      .when(cancel(3))
      .then([canceled(3, { previousStatus: 'waitlist', waitlistPosition: 2, seatsLeft: 0 })]));

  it('refuses a member past the cutoff, naming the cutoff', () => {
    const late = '2026-03-02T03:45:00.000Z';
    later(late)
      .given([scheduled(2), confirmed(1, 1)])
      .when(cancel(1))
      .thenRefused('cancellation-cutoff-passed', 422);
  });

  it('lets an admin cancel past the cutoff; the freed seat is then simply bookable (no promotion)', () => {
    const late = '2026-03-02T04:00:00.000Z';
    later(late)
      .given([scheduled(1), confirmed(1, 0), waitlisted(2, 1)])
      .when(cancel(1, true))
      .then([canceled(1, { reason: 'admin', seatsLeft: 1 }, late)]);
  });

  it('treats canceling a canceled booking as done, not as an error', () =>
    spec
      .given([scheduled(2), confirmed(1, 1), canceled(1)])
      .when(cancel(1))
      .then([]));

  it('refuses an unknown booking', () =>
    spec
      .given([scheduled(2)])
      .when(cancel(7))
      .thenRefused('booking-not-found', 404));
});

describe('a canceled class', () => {
  it('cancels every live booking in the same append as the class', () =>
    spec
      .given([scheduled(1), confirmed(1, 0), waitlisted(2, 1)])
      .when({ type: 'CancelClassWithBookings', reason: 'rain', canceledBy: null })
      .then([
        {
          type: 'ClassCanceled',
          data: { classId, reason: 'rain', canceledBy: null, trainerId: null, date: '2026-03-02' },
        },
        canceled(1, { reason: 'class-canceled', canceledBy: null, seatsLeft: 1 }),
        canceled(2, {
          reason: 'class-canceled',
          canceledBy: null,
          previousStatus: 'waitlist',
          waitlistPosition: 1,
          seatsLeft: 1,
        }),
      ]));
});

describe('attendance', () => {
  const started = later('2026-03-02T04:40:00.000Z');
  it('is marked for confirmed bookings once the class has started', () =>
    started
      .given([scheduled(2), confirmed(1, 1)])
      .when({ type: 'MarkAttendance', bookingId: booking(1), attendance: 'present', markedBy: null })
      .then([
        {
          type: 'AttendanceMarked',
          data: {
            bookingId: booking(1),
            classId,
            memberId: member(1),
            attendance: 'present',
            markedBy: null,
            markedAt: '2026-03-02T04:40:00.000Z',
          },
        },
      ]));
  it('is refused before the start and for waitlisted bookings', () => {
    spec
      .given([scheduled(2), confirmed(1, 1)])
      .when({ type: 'MarkAttendance', bookingId: booking(1), attendance: 'present', markedBy: null })
      .thenRefused('class-not-started', 422);
    started
      .given([scheduled(1), confirmed(1, 0), waitlisted(2, 1)])
      .when({ type: 'MarkAttendance', bookingId: booking(2), attendance: 'no_show', markedBy: null })
      .thenRefused('booking-not-confirmed', 422);
  });
});

describe('after the start', () => {
  it('ends the waitlist places of a started class', () =>
    later('2026-03-02T04:40:00.000Z')
      .given([scheduled(1), confirmed(1, 0), waitlisted(2, 1)])
      .when({ type: 'ExpireWaitlist' })
      .then([
        canceled(
          2,
          {
            reason: 'waitlist-expired',
            canceledBy: null,
            previousStatus: 'waitlist',
            waitlistPosition: 1,
            seatsLeft: 0,
          },
          '2026-03-02T04:40:00.000Z',
        ),
      ]));
});
