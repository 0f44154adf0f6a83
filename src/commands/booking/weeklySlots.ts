import { streams } from '../../events/streams';
import type { BookingSlotClaimed } from '../../events/booking/bookingEvents';
import type {
  AppendAlongside,
  CommandHandler,
  CommandMetadata,
  CommandOutcome,
} from '../handling/commandHandler';
import { isRefusal, type DecisionContext, type DomainEvent } from '../handling/decider';
import { classSeatsDecider } from './classSeatsDecider';
import { weeklyQuotaDecider } from './weeklyQuotaDecider';

/** Reserve: one of the member's weekly slots, in `booking-quota-<member>-<week>`. */
export const claimWeeklySlot = (
  commands: CommandHandler,
  claim: Omit<BookingSlotClaimed['data'], 'claimedAt'>,
  metadata: CommandMetadata,
) =>
  commands.handle(
    streams.bookingQuota(claim.memberId, claim.week),
    weeklyQuotaDecider,
    { type: 'ClaimBookingSlot', ...claim },
    { ...metadata, commandType: 'ClaimBookingSlot' },
  );

/**
 * Compensate: give a booking's weekly slot back (a no-op when it is not held). Its command id
 * differs from the claim's, which lives in the same stream and would otherwise be replayed.
 */
export const releaseWeeklySlot = (
  commands: CommandHandler,
  slot: {
    memberId: string;
    week: string;
    bookingId: string;
    reason: 'booking-refused' | 'booking-canceled' | 'reconciled';
  },
  metadata: CommandMetadata,
) =>
  commands.handle(
    streams.bookingQuota(slot.memberId, slot.week),
    weeklyQuotaDecider,
    { type: 'ReleaseBookingSlot', bookingId: slot.bookingId, reason: slot.reason },
    releaseMetadata(metadata, slot.bookingId),
  );

/** The release's own command id: it lives in the claim's stream, whose command id it must not reuse. */
const releaseMetadata = (metadata: CommandMetadata, bookingId: string): CommandMetadata => ({
  ...metadata,
  commandId: `${metadata.commandId}:release:${bookingId}`,
  commandType: 'ReleaseBookingSlot',
});

/**
 * The weekly slots a cancellation gives back, to go in the same call as it (the handler's
 * `alongside`): decided on each slot's stream as this process last saw it (`view`; read when not
 * cached), at that revision, so a stale view is a conflict and the whole cancellation is decided
 * again. On esdb they follow the cancellation in order, as `releaseSlotsOfCanceledBookings` did.
 */
export const slotReleases = async (
  commands: CommandHandler,
  decision: readonly DomainEvent[],
  metadata: CommandMetadata,
  ctx: DecisionContext,
): Promise<AppendAlongside[]> => {
  const releases: AppendAlongside[] = [];
  for (const event of decision) {
    if (event.type !== 'BookingCanceled') continue;
    const { memberId, week, bookingId } = event.data as { memberId: string; week: string; bookingId: string };
    const streamId = streams.bookingQuota(memberId, week);
    const { state, revision } = await commands.view(streamId, weeklyQuotaDecider);
    const released = weeklyQuotaDecider.decide(
      { type: 'ReleaseBookingSlot', bookingId, reason: 'booking-canceled' },
      state,
      ctx,
    );
    if (isRefusal(released) || released.length === 0) continue;
    releases.push({
      streamId,
      events: released,
      metadata: releaseMetadata(metadata, bookingId),
      expectedRevision: revision ?? 'no_stream',
      decider: weeklyQuotaDecider as AppendAlongside['decider'],
    });
  }
  return releases;
};

/**
 * Once the class stream has recorded cancellations, their weekly slots go back. A crash before
 * this finishes is healed by the booking reconciler, which releases slots of canceled bookings.
 */
export const releaseSlotsOfCanceledBookings = async (
  commands: CommandHandler,
  events: readonly DomainEvent[],
  metadata: CommandMetadata,
): Promise<CommandOutcome<DomainEvent>[]> => {
  const releases: CommandOutcome<DomainEvent>[] = [];
  for (const event of events) {
    if (event.type !== 'BookingCanceled') continue;
    const { memberId, week, bookingId } = event.data as { memberId: string; week: string; bookingId: string };
    releases.push(
      await releaseWeeklySlot(commands, { memberId, week, bookingId, reason: 'booking-canceled' }, metadata),
    );
  }
  return releases;
};

/**
 * Once a class's move is recorded, every live booking's weekly slot follows it to the class's
 * times now, read from its stream after the move: a booking seated meanwhile is moved too, and
 * one seated later claimed the new times (the class refuses a seat claimed at other times). Each
 * move carries the revision it read, so a slower, older move never undoes a newer one. A crash
 * before this ends is healed by retrying the reschedule (same Idempotency-Key).
 */
export const moveSlotsOfRescheduledClass = async (
  commands: CommandHandler,
  classId: string,
  metadata: CommandMetadata,
): Promise<CommandOutcome<DomainEvent>[]> => {
  const { state, revision } = await commands.load(streams.class(classId), classSeatsDecider);
  const { cls, seats } = state;
  if (!cls.exists || revision === undefined) return [];
  return Promise.all(
    [...seats.liveByMember.values()].map((bookingId) => {
      const { memberId, week } = seats.bookings.get(bookingId)!;
      return commands.handle(
        streams.bookingQuota(memberId, week),
        weeklyQuotaDecider,
        {
          type: 'MoveBookingSlot',
          bookingId,
          startsAt: cls.startsAt,
          endsAt: cls.endsAt,
          classRevision: revision,
        },
        {
          ...metadata,
          commandId: `${metadata.commandId}:move:${bookingId}`,
          commandType: 'MoveBookingSlot',
        },
      );
    }),
  );
};
