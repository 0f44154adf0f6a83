import { randomUUID } from 'node:crypto';
import { streams } from '../../events/streams';
import type { CommandHandler, CommandMetadata, CommandOutcome } from '../handling/commandHandler';
import { classSeatsDecider, type BookSeat, type ClassSeatsEvent } from './classSeatsDecider';
import { placementsOf } from './bookingPlacement';

const MAX_BATCH = 256;

const bookingIdOf = (event: ClassSeatsEvent) => (event.data as { bookingId?: string }).bookingId ?? '';

const placed = (classId: string, request: BookSeat, metadata: CommandMetadata) => ({
  placement: {
    bookingId: request.bookingId,
    classId,
    memberId: request.memberId,
    societyId: request.societyId,
  },
  metadata,
});

interface Waiting {
  readonly request: BookSeat;
  readonly metadata: CommandMetadata;
  readonly resolve: (outcome: CommandOutcome<ClassSeatsEvent>) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for a class's seats. Appends to one class stream are serialised (one decision per
 * revision), so 200 people booking a hot class would queue for 200 round trips; here whoever
 * arrives while an append is in flight joins the next one, decided in order in one append
 * (`BookSeats`). Alone, a booking is appended as itself, with its own command id.
 *
 * Each event of a batch is recorded with the metadata of the booking it answers for (its command
 * id, actor and correlation), so the history reads as if each booking had been appended alone,
 * and a retry of one is recognised by its command id. A booking left out of a batch (refused) is
 * decided again alone, to learn why.
 *
 * Each seated or waitlisted booking's placement (`booking-<id>`, bookingPlacement.ts) goes in the
 * same call as the seats, after them: one round trip, and never a placement without its seat.
 */
export class SeatDesk {
  private readonly queues = new Map<string, Waiting[]>();

  constructor(private readonly commands: CommandHandler) {}

  takeSeat(
    classId: string,
    request: BookSeat,
    metadata: CommandMetadata,
  ): Promise<CommandOutcome<ClassSeatsEvent>> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(classId);
      if (queue) queue.push({ request, metadata, resolve, reject });
      else {
        this.queues.set(classId, [{ request, metadata, resolve, reject }]);
        void this.drain(classId);
      }
    });
  }

  private async drain(classId: string): Promise<void> {
    const queue = this.queues.get(classId)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      if (batch.length === 1) await this.alone(classId, batch[0]!);
      else await this.together(classId, batch);
    }
    this.queues.delete(classId);
  }

  private async alone(classId: string, { request, metadata, resolve, reject }: Waiting): Promise<void> {
    const alongside = placementsOf(new Map([[request.bookingId, placed(classId, request, metadata)]]));
    await this.commands
      .handle(streams.class(classId), classSeatsDecider, request, metadata, { alongside })
      .then(resolve, reject);
  }

  private async together(classId: string, batch: Waiting[]): Promise<void> {
    let outcome: CommandOutcome<ClassSeatsEvent>;
    const requests = new Map(batch.map((w) => [w.request.bookingId, w.metadata]));
    try {
      const commandId = `seats:${randomUUID()}`;
      outcome = await this.commands.handle(
        streams.class(classId),
        classSeatsDecider,
        { type: 'BookSeats', requests: batch.map((w) => w.request) },
        { commandId, commandType: 'BookSeats', correlationId: commandId },
        {
          requestOf: (event) => requests.get(bookingIdOf(event)),
          alongside: placementsOf(
            new Map(batch.map((w) => [w.request.bookingId, placed(classId, w.request, w.metadata)])),
          ),
        },
      );
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    for (const w of batch) {
      const own = outcome.events.filter((e) => bookingIdOf(e) === w.request.bookingId);
      if (own.length > 0) w.resolve({ ...outcome, events: own });
      else await this.alone(classId, w);
    }
  }
}
