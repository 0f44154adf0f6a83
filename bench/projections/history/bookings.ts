import { randomUUID } from 'node:crypto';
import type {
  BookingCanceled,
  BookingPromoted,
  ClassBookingEvent,
} from '../../../src/events/booking/bookingEvents';
import { streams } from '../../../src/events/streams';
import { DAY_MS, WEEKLY_LIMIT, type Booking, type Class, type Member, type SocietySim } from './simulation';

/** Bookings with their weekly-quota claims, cancellations and promotions, waitlists expiring, attendance. */

/**
 * Every member with a live subscription books up to the weekly limit, popular classes first;
 * requests arrive in random order over the week before. A full class waitlists.
 */
export const takeBookings = (
  society: SocietySim,
  classes: readonly Class[],
  bookingWeekMonday: string,
): void => {
  const requests: Array<{ member: Member; cls: Class }> = [];
  for (const member of society.members) {
    if (!member.approved || !member.subscription) continue;
    const wanted = society.pick([0, 1, 2, 2, 3, 3, 3, 3, 3, 3]);
    const chosen = new Set<Class>();
    for (let tries = 0; chosen.size < Math.min(wanted, WEEKLY_LIMIT) && tries < 20; tries++) {
      const cls = society.pick(classes);
      if (society.random() < cls.popularity / 1.8) chosen.add(cls);
    }
    for (const cls of chosen) requests.push({ member, cls });
  }
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(society.random() * (i + 1));
    [requests[i], requests[j]] = [requests[j]!, requests[i]!];
  }
  const start = Date.parse(`${bookingWeekMonday}T06:00:00Z`);
  const step = (6 * DAY_MS) / Math.max(1, requests.length);
  for (const [i, { member, cls }] of requests.entries())
    book(society, member, cls, new Date(start + i * step).toISOString());
};

export const book = (society: SocietySim, member: Member, cls: Class, bookedAt: string): void => {
  const bookingId = randomUUID();
  const bookedBy = society.chance(0.1) ? society.admins[1]! : member.id;
  const ref = { bookingId, classId: cls.id, memberId: member.id };
  society.append(streams.bookingQuota(member.id, cls.week), [
    {
      type: 'BookingSlotClaimed',
      data: {
        ...ref,
        societyId: society.societyId,
        week: cls.week,
        limit: WEEKLY_LIMIT,
        startsAt: cls.startsAt,
        endsAt: cls.endsAt,
        requestedBy: bookedBy,
        claimedAt: bookedAt,
      },
    },
  ]);
  const placed = { ...ref, societyId: society.societyId, week: cls.week, bookedBy, bookedAt };
  const confirmed = cls.bookings.filter((b) => b.status === 'confirmed').length;
  if (confirmed < cls.capacity) {
    cls.bookings.push({ id: bookingId, memberId: member.id, status: 'confirmed' });
    society.append(streams.class(cls.id), [
      { type: 'BookingConfirmed', data: { ...placed, seatsLeft: cls.capacity - confirmed - 1 } },
    ]);
  } else {
    cls.bookings.push({ id: bookingId, memberId: member.id, status: 'waitlist' });
    cls.waitlist.push(bookingId);
    society.append(streams.class(cls.id), [
      { type: 'BookingWaitlisted', data: { ...placed, position: cls.waitlist.length } },
    ]);
  }
};

/** ≈ 8% of live bookings given up by the member; a freed seat goes to the waitlist's head. */
export const memberCancellations = (society: SocietySim, classes: readonly Class[], date: string): void => {
  for (const cls of classes) {
    if (cls.canceled) continue;
    for (const booking of [...cls.bookings]) {
      if (booking.status === 'canceled' || !society.chance(0.08)) continue;
      const canceledAt = society.at(date, society.minuteOfDay());
      society.append(
        streams.class(cls.id),
        cancel(society, cls, [booking.id], 'member', booking.memberId, canceledAt, true),
        booking.memberId,
      );
      releaseSlot(society, cls, booking, canceledAt);
    }
  }
};

/** The class stream's decision (classSeatsDecider's cancelAndPromote), mirrored. */
export const cancel = (
  society: SocietySim,
  cls: Class,
  bookingIds: readonly string[],
  reason: BookingCanceled['data']['reason'],
  canceledBy: string | null,
  canceledAt: string,
  promote: boolean,
): ClassBookingEvent[] => {
  const events: ClassBookingEvent[] = [];
  const seatsLeft = () =>
    Math.max(0, cls.capacity - cls.bookings.filter((b) => b.status === 'confirmed').length);
  for (const bookingId of bookingIds) {
    const booking = cls.bookings.find((b) => b.id === bookingId)!;
    const previousStatus = booking.status === 'waitlist' ? 'waitlist' : 'confirmed';
    const position = previousStatus === 'waitlist' ? cls.waitlist.indexOf(bookingId) + 1 : null;
    booking.status = 'canceled';
    if (position !== null) cls.waitlist.splice(position - 1, 1);
    events.push({
      type: 'BookingCanceled',
      data: {
        bookingId,
        classId: cls.id,
        memberId: booking.memberId,
        week: cls.week,
        previousStatus,
        waitlistPosition: position,
        reason,
        canceledBy,
        canceledAt,
        seatsLeft: seatsLeft(),
      },
    });
  }
  while (promote && seatsLeft() > 0 && cls.waitlist.length > 0) {
    const next = cls.bookings.find((b) => b.id === cls.waitlist[0])!;
    cls.waitlist.shift();
    next.status = 'confirmed';
    const promoted: BookingPromoted = {
      type: 'BookingPromoted',
      data: {
        bookingId: next.id,
        classId: cls.id,
        memberId: next.memberId,
        fromPosition: 1,
        seatsLeft: seatsLeft(),
      },
    };
    events.push(promoted);
  }
  return events;
};

export const releaseSlot = (society: SocietySim, cls: Class, booking: Booking, releasedAt: string): void => {
  society.append(streams.bookingQuota(booking.memberId, cls.week), [
    {
      type: 'BookingSlotReleased',
      data: {
        bookingId: booking.id,
        memberId: booking.memberId,
        week: cls.week,
        reason: 'booking-canceled',
        releasedAt,
      },
    },
  ]);
};

/**
 * Classes that started before `until`: the waitlist still queued expires at the start, and the
 * trainer marks attendance for every seat after the end.
 */
export const runClasses = (society: SocietySim, classes: readonly Class[], until: number): void => {
  for (const cls of classes) {
    if (cls.canceled || Date.parse(cls.endsAt) > until) continue;
    if (cls.waitlist.length > 0) {
      const queued = cls.bookings.filter((b) => b.status === 'waitlist');
      society.append(
        streams.class(cls.id),
        cancel(society, cls, [...cls.waitlist], 'waitlist-expired', null, cls.startsAt, false),
      );
      for (const booking of queued) releaseSlot(society, cls, booking, cls.startsAt);
    }
    const markedAt = new Date(Date.parse(cls.endsAt) + 10 * 60_000).toISOString();
    for (const booking of cls.bookings) {
      if (booking.status !== 'confirmed') continue;
      society.append(
        streams.class(cls.id),
        [
          {
            type: 'AttendanceMarked',
            data: {
              bookingId: booking.id,
              classId: cls.id,
              memberId: booking.memberId,
              attendance: society.chance(0.85) ? 'present' : 'no_show',
              markedBy: cls.trainerId,
              markedAt,
            },
          },
        ],
        cls.trainerId,
      );
    }
  }
};
