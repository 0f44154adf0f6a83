import { streams } from '../../events/streams';
import type { Position } from '../../events/store/position';
import { coveringSteps } from '../handling/saga';
import type { CommandHandler, CommandMetadata, CommandOutcome } from '../handling/commandHandler';
import { releaseTrainerSlot } from '../trainers/trainerCommands';
import { classSeatsDecider, type ClassSeatsEvent } from '../booking/classSeatsDecider';
import { releaseSlotsOfCanceledBookings } from '../booking/weeklySlots';

/**
 * Cancels a class (a fact: `ClassCanceled`) with its bookings in the same append, then frees its
 * trainer's slot and the members' weekly booking slots.
 */
export const cancelClass = async (
  commands: CommandHandler,
  input: { classId: string; reason: string; canceledBy: string | null },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassSeatsEvent>> => {
  const outcome = await commands.handle(
    streams.class(input.classId),
    classSeatsDecider,
    { type: 'CancelClassWithBookings', reason: input.reason, canceledBy: input.canceledBy },
    metadata,
  );
  const releases: { position: Position | undefined }[] = await releaseSlotsOfCanceledBookings(
    commands,
    outcome.events,
    metadata,
  );
  for (const event of outcome.events) {
    if (event.type === 'ClassCanceled' && event.data.trainerId)
      releases.push(
        await releaseTrainerSlot(
          commands,
          { trainerId: event.data.trainerId, classId: input.classId, date: event.data.date },
          metadata,
        ),
      );
  }
  return coveringSteps(outcome, releases);
};
