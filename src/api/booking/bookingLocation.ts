import type { Knex } from 'knex';
import { findPlacement, type BookingPlacement } from '../../commands/booking/bookingPlacement';
import type { CommandHandler } from '../../commands/handling/commandHandler';
import { findBooking } from '../../projections/booking/bookingQueries';

/**
 * Where a booking is (its class, member and society), for a command that names only its id.
 * From the write side first, so a booking answered a moment ago (202, read side not caught up)
 * is found; the read table answers only for a booking with no placement recorded — one booked
 * before placements were, or whose record a crash right after its seat left unwritten — and
 * such a booking is old enough for the read side to show it.
 */
export const locateBooking = async (
  deps: { commands: CommandHandler; knex: Knex },
  bookingId: string,
): Promise<BookingPlacement | undefined> => {
  const placement = await findPlacement(deps.commands, bookingId);
  if (placement) return placement;
  const row = await findBooking(deps.knex, bookingId);
  return row && { bookingId, classId: row.event_id, memberId: row.member_id, societyId: row.society_id };
};
