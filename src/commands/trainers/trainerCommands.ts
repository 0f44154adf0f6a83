import { streams } from '../../events/streams';
import type {
  Availability,
  TrainerDetails,
  TrainerEvent,
  TrainerDayEvent,
} from '../../events/trainers/trainerEvents';
import {
  CommandRefusedError,
  type CommandHandler,
  type CommandMetadata,
  type CommandOutcome,
} from '../handling/commandHandler';
import { isRefusal } from '../handling/decider';
import { trainerDayDecider, type GeoPoint } from './trainerDayDecider';
import { DEFAULT_MAX_CLASSES_PER_DAY, trainerDecider, trainerNotFound } from './trainerDecider';
import { checkTrainerFit } from './trainerFit';

export type NewTrainerProfile = Omit<TrainerDetails, 'maxClassesPerDay'> & { maxClassesPerDay?: number };

/**
 * A trainer's profile, on `trainer-<id>`. The id is the trainer's user id: signup calls this
 * for a trainer who signs up (createdBy null), a super_admin for an existing trainer account.
 */
export const createTrainerProfile = (
  commands: CommandHandler,
  input: { trainerId: string; details: NewTrainerProfile; createdBy: string | null; societyId?: string },
  metadata: CommandMetadata,
): Promise<CommandOutcome<TrainerEvent>> =>
  commands.handle(
    streams.trainer(input.trainerId),
    trainerDecider,
    {
      type: 'CreateTrainerProfile',
      trainerId: input.trainerId,
      createdBy: input.createdBy,
      ...(input.societyId !== undefined ? { societyId: input.societyId } : {}),
      details: {
        ...input.details,
        maxClassesPerDay: input.details.maxClassesPerDay ?? DEFAULT_MAX_CLASSES_PER_DAY,
      },
    },
    metadata,
  );

export const updateTrainerProfile = (
  commands: CommandHandler,
  input: { trainerId: string; changes: Partial<TrainerDetails>; expectedRevision?: number },
  metadata: CommandMetadata,
): Promise<CommandOutcome<TrainerEvent>> =>
  commands.handle(
    streams.trainer(input.trainerId),
    trainerDecider,
    { type: 'UpdateTrainerProfile', trainerId: input.trainerId, changes: input.changes },
    metadata,
    { expectedRevision: input.expectedRevision },
  );

export const setTrainerAvailability = (
  commands: CommandHandler,
  input: { trainerId: string; availability: Availability },
  metadata: CommandMetadata,
): Promise<CommandOutcome<TrainerEvent>> =>
  commands.handle(
    streams.trainer(input.trainerId),
    trainerDecider,
    { type: 'SetTrainerAvailability', ...input },
    metadata,
  );

/** The trainer design's availability for one date: these windows then (none: unavailable), the rest kept. */
export const setTrainerDay = (
  commands: CommandHandler,
  input: { trainerId: string; date: string; windows: readonly { start: number; end: number }[] },
  metadata: CommandMetadata,
): Promise<CommandOutcome<TrainerEvent>> =>
  commands.handle(
    streams.trainer(input.trainerId),
    trainerDecider,
    { type: 'SetTrainerDay', ...input },
    metadata,
  );

export interface TrainerAssignment {
  trainerId: string;
  classId: string;
  societyId: string;
  /** The society's coordinates; null when it has none (a conservative travel buffer is assumed). */
  societyLocation: GeoPoint | null;
  /** 'YYYY-MM-DD', local to the society. */
  date: string;
  /** Minutes since midnight, local to the society. */
  start: number;
  end: number;
  /**
   * The society's IANA zone, so the claim is compared with the trainer's other classes in
   * absolute time (societies in different zones). Every class path passes it; a claim without it
   * holds local minutes only.
   */
  timezone?: string;
  classType: string;
}

/**
 * The reserve step of assigning a trainer to a class (DESIGN.md, invariant 3): the trainer must
 * exist and fit the class (specialization, declared availability), then the class claims a slot
 * in `trainer-day-<trainer>-<date>`, which alone decides the daily limit and overlaps. The caller
 * then records the assignment on the class and, if that is refused, calls releaseTrainerSlot.
 * Refusals are thrown as CommandRefusedError (404 trainer-not-found, 422 trainer-*).
 */
export const assignTrainerToSlot = async (
  commands: CommandHandler,
  input: TrainerAssignment,
  metadata: CommandMetadata,
): Promise<CommandOutcome<TrainerDayEvent>> => {
  const { state } = await commands.load(streams.trainer(input.trainerId), trainerDecider);
  if (!state.created) throw new CommandRefusedError(trainerNotFound(input.trainerId));
  const fit = checkTrainerFit(
    { specialization: state.details.specialization, availability: state.availability },
    input,
  );
  if (isRefusal(fit)) throw new CommandRefusedError(fit);
  return commands.handle(
    streams.trainerDay(input.trainerId, input.date),
    trainerDayDecider,
    {
      type: 'ClaimTrainerSlot',
      trainerId: input.trainerId,
      date: input.date,
      classId: input.classId,
      societyId: input.societyId,
      start: input.start,
      end: input.end,
      societyLocation: input.societyLocation,
      ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
      maxClassesPerDay: state.details.maxClassesPerDay,
    },
    { ...metadata, commandType: 'ClaimTrainerSlot' },
  );
};

/** The compensation step: frees the class's slot that day (nothing to do if it holds none). */
export const releaseTrainerSlot = (
  commands: CommandHandler,
  input: { trainerId: string; classId: string; date: string },
  metadata: CommandMetadata,
): Promise<CommandOutcome<TrainerDayEvent>> => {
  const streamId = streams.trainerDay(input.trainerId, input.date);
  return commands.handle(
    streamId,
    trainerDayDecider,
    { type: 'ReleaseTrainerSlot', ...input },
    // Its own id, so a release under the claim's command id is not mistaken for a retried claim.
    {
      ...metadata,
      commandId: `${metadata.commandId}:release:${streamId}`,
      commandType: 'ReleaseTrainerSlot',
    },
  );
};
