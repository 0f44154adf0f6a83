import { bookingPlacementDecider } from '../../../src/commands/booking/bookingPlacement';
import { deciderSpec } from '../../support/deciderSpec';

const spec = deciderSpec(bookingPlacementDecider);
const placement = {
  bookingId: '00000000-0000-4000-8000-0000000000b1',
  classId: '00000000-0000-4000-8000-0000000000c1',
  memberId: '00000000-0000-4000-8000-0000000000a1',
  societyId: '00000000-0000-4000-8000-0000000000d1',
};
const placed = {
  type: 'BookingPlaced' as const,
  data: { ...placement, placedAt: '2026-03-01T10:00:00.000Z' },
};

describe('booking-<id>: where a booking is', () => {
  it('records the class, member and society of a new booking, and nothing else it is handed', () => {
    const asked = { ...placement, week: '2026-W10', requestedBy: placement.memberId };
    spec.given([]).when({ type: 'RecordPlacement', placement: asked }).then([placed]);
  });

  it('records nothing the second time (a retry, or the reconciler beside the original request)', () => {
    spec.given([placed]).when({ type: 'RecordPlacement', placement }).then([]);
  });
});
