import { streams } from '../../events/streams';
import { CommandRefusedError, type CommandHandler } from '../shared/commandHandler';
import { refuse } from '../shared/decider';
import { societyDecider } from '../societies/societyDecider';

/** The spec's defaults: 5 bookings per member per week, cancel until 1 hour before the start. */
export const DEFAULT_WEEKLY_BOOKING_LIMIT = 5;
export const DEFAULT_CANCELLATION_CUTOFF_MINUTES = 60;

/** A society's booking rules, as its own stream shows them now (not the read model: these decide). */
export interface BookingPolicy {
  readonly societyId: string;
  readonly maxMembersPerEvent: number;
  readonly weeklyLimit: number;
  readonly cancellationCutoffMinutes: number;
}

const positiveInteger = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;

/**
 * Per-society settings: a society whose recorded details carry `weeklyBookingLimit` or
 * `cancellationCutoffMinutes` gets those; the society capability does not record them yet, so
 * every society has the defaults today.
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
  const details = state.details as typeof state.details & Record<string, unknown>;
  return {
    societyId,
    maxMembersPerEvent: details.maxMembersPerEvent,
    weeklyLimit: positiveInteger(details.weeklyBookingLimit) ?? DEFAULT_WEEKLY_BOOKING_LIMIT,
    cancellationCutoffMinutes:
      positiveInteger(details.cancellationCutoffMinutes) ?? DEFAULT_CANCELLATION_CUTOFF_MINUTES,
  };
};
