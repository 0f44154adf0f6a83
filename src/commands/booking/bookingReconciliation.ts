import { streams } from '../../events/streams';
import type { PendingClaim } from '../../projections/booking/bookingQueries';
import { CommandRefusedError, type CommandHandler, type CommandMetadata } from '../handling/commandHandler';
import { loadBookingPolicy } from './bookingPolicy';
import { recordPlacement } from './bookingPlacement';
import { classSeatsDecider } from './classSeatsDecider';
import { weeklyQuotaDecider } from './weeklyQuotaDecider';
import { releaseWeeklySlot } from './weeklySlots';

/**
 * Heals a weekly slot claimed with no live booking behind it (a crash between the two steps of
 * `book`, or between a cancellation and its release): a booking the class never recorded is
 * completed if the class still takes it, else its slot is released; a canceled booking's slot
 * is released. Safe to run twice, and beside a slow original request (same booking id).
 */
export const reconcileBookingClaim = async (
  commands: CommandHandler,
  claim: PendingClaim,
): Promise<'settled' | 'completed' | 'released'> => {
  const metadata: CommandMetadata = {
    commandId: `reconcile:${claim.bookingId}`,
    commandType: 'ReconcileBooking',
  };
  const { state } = await commands.load(streams.class(claim.classId), classSeatsDecider);
  const holder = state.seats.bookings.get(claim.bookingId);
  if (holder && holder.status !== 'canceled') return 'settled';
  // The seat is taken at the times the slot holds: a class that moved since refuses it.
  const slot = holder ? undefined : await heldSlot(commands, claim);
  if (slot) {
    try {
      const policy = await loadBookingPolicy(commands, claim.societyId);
      await commands.handle(
        streams.class(claim.classId),
        classSeatsDecider,
        {
          type: 'BookSeat',
          bookingId: claim.bookingId,
          memberId: claim.memberId,
          societyId: claim.societyId,
          week: claim.week,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          bookedBy: claim.requestedBy,
          societyMaxMembersPerEvent: policy.maxMembersPerEvent,
        },
        { ...metadata, commandType: 'BookSeat' },
      );
      await recordPlacement(commands, claim, metadata);
      return 'completed';
    } catch (error) {
      if (!(error instanceof CommandRefusedError)) throw error;
    }
  }
  await releaseWeeklySlot(
    commands,
    { memberId: claim.memberId, week: claim.week, bookingId: claim.bookingId, reason: 'reconciled' },
    metadata,
  );
  return 'released';
};

/** The claim's slot as its quota stream holds it now (none once released). */
const heldSlot = async (commands: CommandHandler, claim: PendingClaim) => {
  const quota = streams.bookingQuota(claim.memberId, claim.week);
  const { state } = await commands.load(quota, weeklyQuotaDecider);
  return state.held.get(claim.bookingId);
};
