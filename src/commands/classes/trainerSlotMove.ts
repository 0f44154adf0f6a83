import { isRefusal, type Decider } from '../handling/decider';
import type { TrainerDayEvent } from '../../events/trainers/trainerEvents';
import {
  trainerDayDecider,
  type TrainerDayCommand,
  type TrainerDayState,
} from '../trainers/trainerDayDecider';

type ClaimTrainerSlot = Extract<TrainerDayCommand, { type: 'ClaimTrainerSlot' }>;
export interface MoveTrainerSlot {
  type: 'MoveTrainerSlot';
  claim: ClaimTrainerSlot;
}

/**
 * A class moving to another time on the same day: its old claim cannot be kept while the new one
 * is claimed (the trainer-day stream holds one claim per class, and the old time would count as
 * an overlap), so both happen in one append on that one stream — release, then claim, by the
 * trainer-day rules themselves. Either both are recorded or neither.
 */
export const trainerSlotMoveDecider: Decider<TrainerDayState, MoveTrainerSlot, TrainerDayEvent> = {
  initialState: trainerDayDecider.initialState,
  evolve: trainerDayDecider.evolve,
  decide: ({ claim }, state, ctx) => {
    const released = trainerDayDecider.decide(
      { type: 'ReleaseTrainerSlot', trainerId: claim.trainerId, date: claim.date, classId: claim.classId },
      state,
      ctx,
    );
    if (isRefusal(released)) return released;
    const claimed = trainerDayDecider.decide(claim, released.reduce(trainerDayDecider.evolve, state), ctx);
    if (isRefusal(claimed)) return claimed;
    return [...released, ...claimed];
  },
};
