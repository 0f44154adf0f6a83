import type { Attendance, ClassBookingEvent } from '../../events/booking/bookingEvents';

/** Who holds a class's seats, folded from its booking facts. */
export type BookingStatus = 'confirmed' | 'waitlist' | 'canceled';

export interface SeatHolder {
  readonly memberId: string;
  readonly status: BookingStatus;
  readonly week: string;
  readonly attendance: Attendance | null;
}

/** Who holds the class's seats and who queues for them. */
export interface Seats {
  readonly bookings: ReadonlyMap<string, SeatHolder>;
  /** A member's live (confirmed or waitlisted) booking of this class. */
  readonly liveByMember: ReadonlyMap<string, string>;
  readonly confirmed: number;
  /** Booking ids, first come first served: index 0 is position 1. */
  readonly waitlist: readonly string[];
}

export const emptySeats: Seats = { bookings: new Map(), liveByMember: new Map(), confirmed: 0, waitlist: [] };

export const withStatus = (seats: Seats, bookingId: string, status: BookingStatus): Seats => {
  const holder = seats.bookings.get(bookingId)!;
  const bookings = new Map(seats.bookings).set(bookingId, { ...holder, status });
  const liveByMember = new Map(seats.liveByMember);
  if (status === 'canceled') liveByMember.delete(holder.memberId);
  else liveByMember.set(holder.memberId, bookingId);
  const confirmed =
    seats.confirmed + (status === 'confirmed' ? 1 : 0) - (holder.status === 'confirmed' ? 1 : 0);
  const waitlist =
    holder.status === 'waitlist' && status !== 'waitlist'
      ? seats.waitlist.filter((id) => id !== bookingId)
      : seats.waitlist;
  return { bookings, liveByMember, confirmed, waitlist };
};

export const evolveSeats = (seats: Seats, event: ClassBookingEvent): Seats => {
  switch (event.type) {
    case 'BookingConfirmed':
    case 'BookingWaitlisted': {
      const { bookingId, memberId, week } = event.data;
      const status = event.type === 'BookingConfirmed' ? 'confirmed' : 'waitlist';
      return {
        bookings: new Map(seats.bookings).set(bookingId, { memberId, status, week, attendance: null }),
        liveByMember: new Map(seats.liveByMember).set(memberId, bookingId),
        confirmed: seats.confirmed + (status === 'confirmed' ? 1 : 0),
        waitlist: status === 'waitlist' ? [...seats.waitlist, bookingId] : seats.waitlist,
      };
    }
    case 'BookingPromoted':
      return withStatus(seats, event.data.bookingId, 'confirmed');
    case 'BookingCanceled':
      return withStatus(seats, event.data.bookingId, 'canceled');
    case 'AttendanceMarked': {
      const holder = seats.bookings.get(event.data.bookingId)!;
      return {
        ...seats,
        bookings: new Map(seats.bookings).set(event.data.bookingId, {
          ...holder,
          attendance: event.data.attendance,
        }),
      };
    }
  }
};
