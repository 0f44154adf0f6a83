import type { Knex } from 'knex';
import type { BookingCommands } from '../../../commands/booking/bookingCommands';
import { unsettledClaims } from '../../../projections/booking/bookingQueries';
import type { Job } from '../../job';

/** A claim this old with no live booking is not a booking still on its way. */
export const DEFAULT_CLAIM_TIMEOUT_MS = 60_000;
const BATCH = 200;

/**
 * Every minute: weekly slots claimed with no class outcome (a crash between the two steps of a
 * booking) are completed or released, and slots of canceled bookings that were never given back
 * are released (docs/architecture.md, "Rules across streams", 1). Each step is idempotent, so a run cut short is simply
 * picked up by the next.
 */
export const bookingReconciliationJob = (
  knex: Knex,
  bookings: Pick<BookingCommands, 'reconcile'>,
  options: { timeoutMs?: number; clock?: () => Date } = {},
): Job => ({
  name: 'booking_reconciliation',
  schedule: '* * * * *',
  run: async (signal) => {
    const clock = options.clock ?? (() => new Date());
    const claimedBefore = new Date(clock().getTime() - (options.timeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS));
    const counts = { settled: 0, completed: 0, released: 0 };
    for (const claim of await unsettledClaims(knex, { claimedBefore, limit: BATCH })) {
      if (signal.aborted) break;
      counts[await bookings.reconcile(claim)]++;
    }
    return `completed ${counts.completed}, released ${counts.released}, already settled ${counts.settled}`;
  },
});
