import type { BookingPlaced } from '../../events/booking/bookingEvents';
import { streams } from '../../events/streams';
import type { AppendAlongside, CommandHandler, CommandMetadata } from '../handling/commandHandler';
import type { Decider, DecisionContext } from '../handling/decider';
import type { ClassSeatsEvent } from './classSeatsDecider';

/** Which class and member a booking id names: all a cancellation or attendance mark needs to start. */
export interface BookingPlacement {
  readonly bookingId: string;
  readonly classId: string;
  readonly memberId: string;
  readonly societyId: string;
}

type PlacementState = { readonly exists: false } | ({ readonly exists: true } & BookingPlacement);

interface RecordPlacement {
  readonly type: 'RecordPlacement';
  readonly placement: BookingPlacement;
}

/**
 * `booking-<id>`: one fact, written once. A booking id always names the same class and member
 * (it derives from the request), so a second record — a retry, or the reconciler beside a slow
 * original request — has nothing to add.
 */
export const bookingPlacementDecider: Decider<PlacementState, RecordPlacement, BookingPlaced> = {
  initialState: () => ({ exists: false }),
  evolve: (_state, event) => ({
    exists: true,
    bookingId: event.data.bookingId,
    classId: event.data.classId,
    memberId: event.data.memberId,
    societyId: event.data.societyId,
  }),
  decide: ({ placement }, state, ctx) => {
    if (state.exists) return [];
    // Named one by one: a caller may pass a wider object (a booking request, a pending claim).
    const { bookingId, classId, memberId, societyId } = placement;
    const data = { bookingId, classId, memberId, societyId, placedAt: ctx.now.toISOString() };
    return [{ type: 'BookingPlaced', data }];
  },
};

/**
 * Records where a booking is, once its seat or waitlist place is recorded (never before: a
 * refused booking writes nothing). Under the booking's own command id, so a retried request
 * recognises its record instead of writing another.
 */
export const recordPlacement = (
  commands: CommandHandler,
  placement: BookingPlacement,
  metadata: CommandMetadata,
) =>
  commands.handle(
    streams.booking(placement.bookingId),
    bookingPlacementDecider,
    { type: 'RecordPlacement', placement },
    { ...metadata, commandType: 'RecordBookingPlacement' },
  );

/** A booking the seat desk decides, as its placement needs it. */
export interface PlacedRequest {
  readonly placement: BookingPlacement;
  readonly metadata: CommandMetadata;
}

/**
 * The placements that follow from a seat decision, to go in the same call as it (the handler's
 * `alongside`): one per booking the decision seats or waitlists, none for one it left out, so a
 * refused booking writes nothing. `no_stream`: a booking id is placed once; its seat is new in
 * this decision, so its placement cannot exist yet unless something is badly wrong, and then the
 * conflict refuses the seat too (on an atomic store) rather than record a second placement.
 */
export const placementsOf =
  (requests: ReadonlyMap<string, PlacedRequest>) =>
  (decision: ClassSeatsEvent[], ctx: DecisionContext): AppendAlongside[] =>
    decision.flatMap((event) => {
      if (event.type !== 'BookingConfirmed' && event.type !== 'BookingWaitlisted') return [];
      const request = requests.get(event.data.bookingId);
      if (!request) return [];
      const events = bookingPlacementDecider.decide(
        { type: 'RecordPlacement', placement: request.placement },
        bookingPlacementDecider.initialState(),
        ctx,
      ) as BookingPlaced[];
      return [
        {
          streamId: streams.booking(request.placement.bookingId),
          events,
          metadata: { ...request.metadata, commandType: 'RecordBookingPlacement' },
          expectedRevision: 'no_stream' as const,
        },
      ];
    });

/**
 * Where a booking is, from the write side; undefined for an id no booking recorded (or one placed
 * before placements were recorded, or whose record a crash right after its seat left unwritten).
 * Read from the store, never a cached view: the record may have been written by another replica
 * a moment ago.
 */
export const findPlacement = async (
  commands: CommandHandler,
  bookingId: string,
): Promise<BookingPlacement | undefined> => {
  const { state } = await commands.load(streams.booking(bookingId), bookingPlacementDecider);
  if (!state.exists) return undefined;
  const { exists: _exists, ...placement } = state;
  return placement;
};
