import {
  weeklyQuotaDecider,
  type WeeklyQuotaCommand,
} from '../../../src/commands/booking/weeklyQuotaDecider';
import { bookingWeekOf } from '../../../src/commands/booking/bookingWeek';
import type { BookingQuotaEvent } from '../../../src/events/booking/bookingEvents';
import { deciderSpec } from '../../support/deciderSpec';

const spec = deciderSpec(weeklyQuotaDecider);
const memberId = '00000000-0000-4000-8000-000000000001';
const societyId = '33333333-3333-4333-8333-333333333333';
const week = '2026-W10';
const id = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** Class n runs on day n of the week at 10:00 UTC for an hour. */
const times = (n: number) => ({
  startsAt: `2026-03-0${2 + (n % 5)}T${String(6 + Math.floor(n / 5)).padStart(2, '0')}:00:00.000Z`,
  endsAt: `2026-03-0${2 + (n % 5)}T${String(7 + Math.floor(n / 5)).padStart(2, '0')}:00:00.000Z`,
});
const claimData = (n: number) => ({
  bookingId: id('b', n),
  classId: id('c', n),
  memberId,
  societyId,
  week,
  limit: 5,
  ...times(n),
  requestedBy: memberId,
});
const claim = (n: number, over: Partial<WeeklyQuotaCommand> = {}): WeeklyQuotaCommand =>
  ({ type: 'ClaimBookingSlot', ...claimData(n), ...over }) as WeeklyQuotaCommand;
const claimed = (n: number): BookingQuotaEvent => ({
  type: 'BookingSlotClaimed',
  data: { ...claimData(n), claimedAt: '2026-03-01T10:00:00.000Z' },
});
const released = (n: number): BookingQuotaEvent => ({
  type: 'BookingSlotReleased',
  data: {
    bookingId: id('b', n),
    memberId,
    week,
    reason: 'booking-canceled',
    releasedAt: '2026-03-01T10:00:00.000Z',
  },
});

it('claims a slot while the member is under the weekly limit', () =>
  spec
    .given([claimed(0), claimed(1)])
    .when(claim(2))
    .then([claimed(2)]));

it('refuses the sixth booking of the week', () =>
  spec.given([0, 1, 2, 3, 4].map(claimed)).when(claim(5)).thenRefused('weekly-limit-reached', 422));

it('gives a released slot back to the member', () =>
  spec
    .given([...[0, 1, 2, 3, 4].map(claimed), released(2)])
    .when(claim(5))
    .then([claimed(5)]));

it('refuses a class overlapping one already held, and a second booking of the same class', () => {
  spec
    .given([claimed(0)])
    .when(claim(9, { ...times(0) }))
    .thenRefused('booking-overlap', 422);
  spec
    .given([claimed(0)])
    .when(claim(9, { classId: id('c', 0) }))
    .thenRefused('already-booked', 409);
});

it('never lets a booking whose slot was given back take one again', () =>
  spec
    .given([claimed(0), released(0)])
    .when(claim(0))
    .thenRefused('booking-ended', 409));

it('does nothing on a retry of a held claim, and releases only what it holds', () => {
  spec
    .given([claimed(0)])
    .when(claim(0))
    .then([]);
  spec
    .given([claimed(0)])
    .when({ type: 'ReleaseBookingSlot', bookingId: id('b', 0), reason: 'booking-canceled' })
    .then([released(0)]);
  spec
    .given([claimed(0), released(0)])
    .when({ type: 'ReleaseBookingSlot', bookingId: id('b', 0), reason: 'booking-canceled' })
    .then([]);
});

const moved = (n: number, to: number, classRevision: number): BookingQuotaEvent => ({
  type: 'BookingSlotMoved',
  data: {
    bookingId: id('b', n),
    classId: id('c', n),
    memberId,
    week,
    ...times(to),
    classRevision,
    movedAt: '2026-03-01T10:00:00.000Z',
  },
});
const move = (n: number, to: number, classRevision: number): WeeklyQuotaCommand => ({
  type: 'MoveBookingSlot',
  bookingId: id('b', n),
  ...times(to),
  classRevision,
});

describe('a slot whose class was rescheduled', () => {
  it('follows the class: overlaps are checked at the new time, and the old time is free', () => {
    spec
      .given([claimed(0)])
      .when(move(0, 1, 3))
      .then([moved(0, 1, 3)]);
    spec
      .given([claimed(0), moved(0, 1, 3)])
      .when(claim(9, { ...times(1) }))
      .thenRefused('booking-overlap', 422);
    spec
      .given([claimed(0), moved(0, 1, 3)])
      .when(claim(9, { ...times(0) }))
      .then([
        {
          type: 'BookingSlotClaimed',
          data: { ...claimData(9), ...times(0), claimedAt: '2026-03-01T10:00:00.000Z' },
        },
      ]);
  });

  it('never goes back to an older class revision, and moves nothing it does not hold', () => {
    spec
      .given([claimed(0), moved(0, 2, 7)])
      .when(move(0, 1, 5))
      .then([]);
    spec
      .given([claimed(0), moved(0, 2, 7)])
      .when(move(0, 2, 7))
      .then([]);
    spec
      .given([{ ...claimed(0), data: { ...claimed(0).data, classRevision: 9 } } as BookingQuotaEvent])
      .when(move(0, 1, 8))
      .then([]);
    spec
      .given([claimed(0), released(0)])
      .when(move(0, 1, 3))
      .then([]);
  });
});

it('counts the week of the class’s society-local date (ISO weeks, Monday first)', () => {
  expect(bookingWeekOf('2026-03-02')).toBe('2026-W10');
  expect(bookingWeekOf('2026-03-08')).toBe('2026-W10');
  expect(bookingWeekOf('2026-03-09')).toBe('2026-W11');
  expect(bookingWeekOf('2027-01-01')).toBe('2026-W53');
});
