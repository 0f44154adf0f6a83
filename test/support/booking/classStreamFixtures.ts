import type { ClassSeatsEvent } from '../../../src/commands/booking/classSeatsDecider';

/**
 * One class and its bookings as facts of `class-<id>`, for decider specs. The clock these assume
 * is 2026-03-01T10:00:00Z; the class is Monday 2026-03-02 (2026-W10) at 10:00 in Asia/Kolkata
 * (04:30Z), an hour long.
 */
export const NOW = '2026-03-01T10:00:00.000Z';
export const classId = '22222222-2222-4222-8222-222222222222';
export const societyId = '33333333-3333-4333-8333-333333333333';
export const week = '2026-W10';
export const member = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const booking = (n: number) => `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The class's instants as scheduled: what a booking's weekly slot is claimed with. */
export const classTimes = { startsAt: '2026-03-02T04:30:00.000Z', endsAt: '2026-03-02T05:30:00.000Z' };

type Of<T extends ClassSeatsEvent['type']> = Extract<ClassSeatsEvent, { type: T }>;

export const classScheduled = (maxMembers = 2): Of<'ClassScheduled'> => ({
  type: 'ClassScheduled',
  data: {
    classId,
    societyId,
    name: 'Morning Yoga',
    classType: 'yoga',
    maxMembers,
    trainerId: null,
    scheduledBy: null,
    date: '2026-03-02',
    start: 600,
    end: 660,
    ...classTimes,
    timezone: 'Asia/Kolkata',
  },
});

/** What every placement of member `n` (booking `n`) records. */
const placed = (n: number) => ({
  bookingId: booking(n),
  classId,
  memberId: member(n),
  societyId,
  week,
  bookedBy: member(n),
  bookedAt: NOW,
});

export const bookingConfirmed = (n: number, seatsLeft: number): Of<'BookingConfirmed'> => ({
  type: 'BookingConfirmed',
  data: { ...placed(n), seatsLeft },
});

export const bookingWaitlisted = (n: number, position: number): Of<'BookingWaitlisted'> => ({
  type: 'BookingWaitlisted',
  data: { ...placed(n), position },
});

/** Member `n` leaves a confirmed seat by their own hand, unless `over` says otherwise. */
export const bookingCanceled = (
  n: number,
  over: Partial<Of<'BookingCanceled'>['data']> = {},
  at = NOW,
): Of<'BookingCanceled'> => ({
  type: 'BookingCanceled',
  data: {
    bookingId: booking(n),
    classId,
    memberId: member(n),
    week,
    previousStatus: 'confirmed',
    waitlistPosition: null,
    reason: 'member',
    canceledBy: member(n),
    canceledAt: at,
    seatsLeft: 1,
    ...over,
  },
});
