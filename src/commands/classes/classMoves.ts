import { streams } from '../../events/streams';
import type { ClassEvent } from '../../events/classes/classEvents';
import type { TrainerDayEvent } from '../../events/trainers/trainerEvents';
import { coveringSteps, reserveThenAct } from '../handling/saga';
import type { CommandHandler, CommandMetadata, CommandOutcome } from '../handling/commandHandler';
import { assignTrainerToSlot, releaseTrainerSlot } from '../trainers/trainerCommands';
import { moveSlotsOfRescheduledClass } from '../booking/weeklySlots';
import { classDecider, type ClassCommand } from './classDecider';
import { trainerSlotMoveDecider } from './trainerSlotMove';
import {
  classSlot,
  ensureTrainerFits,
  loadClass,
  loadSocietySettings,
  precheck,
  recordOnClass,
} from './classCommandSteps';

/**
 * Moves a class in time (an `event_update`). Its trainer's claim moves first: another day's slot
 * is claimed before the class records the new time and the old day's released after; on the same
 * day the claim is swapped in one append (trainerSlotMove). A refused move undoes the claim. Once
 * recorded, its members' weekly slots follow it to the new time (moveBookedSlots).
 *
 * A class with active bookings stays in its booking week (classDecider, 422
 * class-has-bookings-in-week): the precheck refuses such a move before any trainer claim. The
 * decision that counts is made on `class-<id>` at the revision its bookings were folded from, so a
 * booking appended between precheck and append makes the append conflict; the handler re-reads,
 * re-decides with that booking counted, refuses, and the trainer claim is undone. No extra lock.
 */
export const rescheduleClass = async (
  commands: CommandHandler,
  input: { classId: string; date: string; start: number; end: number },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> => {
  const current = await loadClass(commands, input.classId);
  const society = await loadSocietySettings(commands, current.societyId);
  const command: ClassCommand = {
    type: 'RescheduleClass',
    ...classSlot(input.date, input.start, input.end, society.timezone),
    trainerIdSeen: current.trainerId,
  };
  const trainerId = current.trainerId;
  // Nothing to claim, or a retry of a move already recorded: only the old day's release may be left.
  if ((await precheck(commands, input.classId, command, metadata)).length === 0 || !trainerId)
    return moveBookedSlots(
      commands,
      await releaseOldDay(
        commands,
        await commands.handle(streams.class(input.classId), classDecider, command, metadata),
        trainerId,
        metadata,
      ),
      metadata,
    );

  // The new time is in the society's zone now (as the command's instants are); the old one, when
  // an undo restores it, in the zone the class recorded.
  const claimAt = (slot: { date: string; start: number; end: number; timezone?: string }) => ({
    trainerId,
    classId: input.classId,
    societyId: current.societyId,
    societyLocation: society.location,
    classType: current.classType,
    timezone: society.timezone,
    ...slot,
  });
  // On the same day the claim is swapped in one append; another day's is claimed, then released.
  const sameDay = input.date === current.date;
  const recorded = await reserveThenAct({
    reserve: () =>
      sameDay
        ? moveTrainerSlot(commands, claimAt(input), metadata)
        : assignTrainerToSlot(commands, claimAt(input), metadata),
    act: recordOnClass(commands, input.classId, command, metadata),
    compensate: () =>
      sameDay
        ? moveTrainerSlot(commands, claimAt(current), {
            ...metadata,
            commandId: `${metadata.commandId}:undo`,
          })
        : releaseTrainerSlot(commands, { trainerId, classId: input.classId, date: input.date }, metadata),
  });
  return moveBookedSlots(commands, await releaseOldDay(commands, recorded, trainerId, metadata), metadata);
};

/**
 * After a move is recorded (or replayed, on a retry), its bookings' weekly slots follow the class
 * (weeklySlots): overlaps are then checked at the class's new time, and its old one is free.
 */
const moveBookedSlots = async (
  commands: CommandHandler,
  outcome: CommandOutcome<ClassEvent>,
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> => {
  const moved = outcome.events.find((e) => e.type === 'ClassRescheduled');
  if (!moved) return outcome;
  return coveringSteps(outcome, await moveSlotsOfRescheduledClass(commands, moved.data.classId, metadata));
};

/** After a move to another day is recorded, the old day's claim goes (a no-op if already gone). */
const releaseOldDay = async (
  commands: CommandHandler,
  outcome: CommandOutcome<ClassEvent>,
  trainerId: string | null,
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> => {
  const releases = [];
  for (const event of outcome.events) {
    if (trainerId && event.type === 'ClassRescheduled' && event.data.previous.date !== event.data.date)
      releases.push(
        await releaseTrainerSlot(
          commands,
          { trainerId, classId: event.data.classId, date: event.data.previous.date },
          metadata,
        ),
      );
  }
  return coveringSteps(outcome, releases);
};

const moveTrainerSlot = async (
  commands: CommandHandler,
  input: Parameters<typeof assignTrainerToSlot>[1],
  metadata: CommandMetadata,
): Promise<CommandOutcome<TrainerDayEvent>> => {
  const maxClassesPerDay = await ensureTrainerFits(commands, input.trainerId, input);
  return commands.handle(
    streams.trainerDay(input.trainerId, input.date),
    trainerSlotMoveDecider,
    {
      type: 'MoveTrainerSlot',
      claim: {
        type: 'ClaimTrainerSlot',
        trainerId: input.trainerId,
        date: input.date,
        classId: input.classId,
        societyId: input.societyId,
        start: input.start,
        end: input.end,
        societyLocation: input.societyLocation,
        ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
        maxClassesPerDay,
      },
    },
    { ...metadata, commandType: 'MoveTrainerSlot' },
  );
};

/**
 * Assigns (or re-assigns) a trainer to a class: claim the new trainer's day, record, then release
 * the previous trainer's slot. The previous trainer is taken from the recorded fact, so two
 * racing re-assignments each release exactly the one they replaced.
 */
export const assignTrainerToClass = async (
  commands: CommandHandler,
  input: { classId: string; trainerId: string },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> => {
  const current = await loadClass(commands, input.classId);
  const society = await loadSocietySettings(commands, current.societyId);
  const slotSeen = { date: current.date, start: current.start, end: current.end };
  const command: ClassCommand = { type: 'AssignTrainer', trainerId: input.trainerId, slotSeen };
  // Already assigned (or a retry of this very assignment): only the previous trainer's release may be left.
  if ((await precheck(commands, input.classId, command, metadata)).length === 0)
    return releasePreviousTrainer(
      commands,
      await commands.handle(streams.class(input.classId), classDecider, command, metadata),
      metadata,
    );
  const outcome = await reserveThenAct({
    reserve: () =>
      assignTrainerToSlot(
        commands,
        {
          trainerId: input.trainerId,
          classId: input.classId,
          societyId: current.societyId,
          societyLocation: society.location,
          classType: current.classType,
          timezone: current.timezone,
          ...slotSeen,
        },
        metadata,
      ),
    act: recordOnClass(commands, input.classId, command, metadata),
    compensate: () =>
      releaseTrainerSlot(
        commands,
        { trainerId: input.trainerId, classId: input.classId, date: current.date },
        metadata,
      ),
  });
  return releasePreviousTrainer(commands, outcome, metadata);
};

const releasePreviousTrainer = async (
  commands: CommandHandler,
  outcome: CommandOutcome<ClassEvent>,
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> => {
  const releases = [];
  for (const event of outcome.events) {
    if (event.type === 'TrainerAssignedToClass' && event.data.previousTrainerId)
      releases.push(
        await releaseTrainerSlot(
          commands,
          { trainerId: event.data.previousTrainerId, classId: event.data.classId, date: event.data.date },
          metadata,
        ),
      );
  }
  return coveringSteps(outcome, releases);
};
