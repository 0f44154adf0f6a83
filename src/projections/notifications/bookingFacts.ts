import type { RecordedEvent } from '../../events/store/eventStore';
import {
  bookingCanceledSchema,
  bookingConfirmedSchema,
  bookingPromotedSchema,
  bookingWaitlistedSchema,
} from '../../events/booking/bookingEvents';
import type { ProjectionContext } from '../engine/projection';
import { notifySeatConfirmed, notifySeatReleased, recordWaitlisted } from './classNotices';

/** Booking facts (recorded in `class-<id>`) → confirmation, promotion, cancellation and reminder notices. */
export const bookingFacts = {
  handles: ['BookingConfirmed', 'BookingWaitlisted', 'BookingPromoted', 'BookingCanceled'],
  apply: async (event: RecordedEvent, ctx: ProjectionContext, fresh: boolean): Promise<void> => {
    switch (event.type) {
      case 'BookingConfirmed': {
        const d = bookingConfirmedSchema.parse(event.data);
        await notifySeatConfirmed(event, ctx, fresh, d.classId, d.memberId, 'booking_confirmation');
        return;
      }
      case 'BookingPromoted': {
        const d = bookingPromotedSchema.parse(event.data);
        await notifySeatConfirmed(event, ctx, fresh, d.classId, d.memberId, 'waitlist_promotion');
        return;
      }
      case 'BookingWaitlisted': {
        const d = bookingWaitlistedSchema.parse(event.data);
        await recordWaitlisted(ctx, d.classId, d.memberId);
        return;
      }
      case 'BookingCanceled': {
        const d = bookingCanceledSchema.parse(event.data);
        // The class's own cancellation already told everyone holding a seat; say it once.
        const silent = d.reason === 'class-canceled';
        await notifySeatReleased(event, ctx, fresh && !silent, d.classId, d.memberId);
        return;
      }
    }
  },
};
