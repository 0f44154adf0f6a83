import type { Knex } from 'knex';
import type { BookingCommands } from '../../../commands/booking/bookingCommands';
import { startedClassesWithWaitlist } from '../../../projections/booking/bookingQueries';
import type { Job } from '../../job';

const BATCH = 200;

/**
 * Every 15 minutes: a class that has started will promote nobody, so its waitlist places end
 * (`BookingCanceled`, reason `waitlist-expired`) and give their weekly slots back — a member who
 * waited in vain may book another class that week.
 */
export const bookingCleanupJob = (
  knex: Knex,
  bookings: Pick<BookingCommands, 'expireWaitlist'>,
  options: { clock?: () => Date } = {},
): Job => ({
  name: 'booking_cleanup',
  schedule: '*/15 * * * *',
  run: async (signal) => {
    const now = (options.clock ?? (() => new Date()))();
    let expired = 0;
    for (const classId of await startedClassesWithWaitlist(knex, now, BATCH)) {
      if (signal.aborted) break;
      const outcome = await bookings.expireWaitlist(classId, {
        commandId: `booking-cleanup:${classId}`,
        commandType: 'ExpireWaitlist',
      });
      expired += outcome.events.filter((e) => e.type === 'BookingCanceled').length;
    }
    return `ended ${expired} waitlist places of started classes`;
  },
});
