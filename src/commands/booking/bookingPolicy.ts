import { streams } from '../../events/streams';
import { CommandRefusedError, type CommandHandler } from '../handling/commandHandler';
import { refuse } from '../handling/decider';
import { societyDecider } from '../societies/societyDecider';

/** A society's booking rules, as its own stream shows them now (not the read model: these decide). */
export interface BookingPolicy {
  readonly societyId: string;
  readonly maxMembersPerEvent: number;
  readonly weeklyLimit: number;
  readonly cancellationCutoffMinutes: number;
}

/**
 * Per-society settings, as the society recorded them (`weekly_booking_limit`,
 * `cancellation_cutoff_minutes` of POST/PATCH /societies); a society that never recorded one has
 * its default (DEFAULT_WEEKLY_BOOKING_LIMIT, DEFAULT_CANCELLATION_CUTOFF_MINUTES in societyEvents;
 * the society decider's state fills them in).
 */
export const loadBookingPolicy = async (
  commands: CommandHandler,
  societyId: string,
): Promise<BookingPolicy> => {
  const { state } = await commands.load(streams.society(societyId), societyDecider);
  if (!state.registered)
    throw new CommandRefusedError(
      refuse('society-not-found', 404, 'Society not found', `No society ${societyId}`),
    );
  const { details } = state;
  return {
    societyId,
    maxMembersPerEvent: details.maxMembersPerEvent,
    weeklyLimit: details.weeklyBookingLimit,
    cancellationCutoffMinutes: details.cancellationCutoffMinutes,
  };
};
