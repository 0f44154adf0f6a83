import { streams } from '../../events/streams';
import type { Position } from '../../events/store/position';
import type { Activity, ClassEvent } from '../../events/classes/classEvents';
import type { TrainerDayEvent } from '../../events/trainers/trainerEvents';
import { coveringSteps, reserveThenAct } from '../shared/saga';
import {
  CommandRefusedError,
  type CommandHandler,
  type CommandMetadata,
  type CommandOutcome,
} from '../shared/commandHandler';
import { isRefusal, refuse, type DomainEvent } from '../shared/decider';
import { societyDecider } from '../societies/societyDecider';
import { assignTrainerToSlot, releaseTrainerSlot } from '../trainers/trainerCommands';
import type { GeoPoint } from '../trainers/trainerDayDecider';
import { trainerDecider, trainerNotFound } from '../trainers/trainerDecider';
import { checkTrainerFit } from '../trainers/trainerFit';
import {
  classDecider,
  type ActivityChanges,
  type ClassCommand,
  type ClassSlot,
  type ClassState,
  type ScheduledClass,
} from './classDecider';
import { localToInstant } from '../../events/classes/classTime';
import { trainerSlotMoveDecider } from './trainerSlotMove';
import { classSeatsDecider, type ClassSeatsEvent } from '../booking/classSeatsDecider';
import { moveSlotsOfRescheduledClass, releaseSlotsOfCanceledBookings } from '../booking/weeklySlots';

export interface SocietySettings {
  societyId: string;
  timezone: string;
  location: GeoPoint | null;
  maxMembersPerEvent: number;
}

/** The society as its own stream shows it now (not the read model: these settings decide). */
export const loadSocietySettings = async (
  commands: CommandHandler,
  societyId: string,
): Promise<SocietySettings> => {
  const { state } = await commands.load(streams.society(societyId), societyDecider);
  if (!state.registered)
    throw new CommandRefusedError(
      refuse('society-not-found', 404, 'Society not found', `No society ${societyId}`),
    );
  const d = state.details;
  return {
    societyId,
    timezone: d.timezone,
    location: d.latitude !== null && d.longitude !== null ? { lat: d.latitude, lng: d.longitude } : null,
    maxMembersPerEvent: d.maxMembersPerEvent,
  };
};

export const classSlot = (date: string, start: number, end: number, timezone: string): ClassSlot => ({
  date,
  start,
  end,
  timezone,
  startsAt: localToInstant(date, start, timezone).toISOString(),
  endsAt: localToInstant(date, end, timezone).toISOString(),
});

export const loadClass = async (commands: CommandHandler, classId: string): Promise<ScheduledClass> => {
  const { state } = await commands.load(streams.class(classId), classDecider);
  if (!state.exists)
    throw new CommandRefusedError(refuse('class-not-found', 404, 'Class not found', `No class ${classId}`));
  return state;
};

/**
 * The class's own rules, checked before any trainer slot is claimed so a class that would be
 * refused anyway claims nothing. The real decision is still the one made at append time.
 */
const precheck = (command: ClassCommand, state: ClassState): DomainEvent[] => {
  const decision = classDecider.decide(command, state, { now: new Date(), newId: () => '' });
  if (isRefusal(decision)) throw new CommandRefusedError(decision);
  return decision;
};

/** Records the command on the class stream: the act of every trainer-claim saga below. */
const recordOnClass =
  (commands: CommandHandler, classId: string, command: ClassCommand, metadata: CommandMetadata) => () =>
    commands.handle(streams.class(classId), classDecider, command, metadata);

/** The trainer exists and can teach this class at that time (specialization, availability). */
const ensureTrainerFits = async (
  commands: CommandHandler,
  trainerId: string,
  slot: { classType: string; date: string; start: number; end: number },
) => {
  const { state } = await commands.load(streams.trainer(trainerId), trainerDecider);
  if (!state.created) throw new CommandRefusedError(trainerNotFound(trainerId));
  const fit = checkTrainerFit(
    { specialization: state.details.specialization, availability: state.availability },
    slot,
  );
  if (isRefusal(fit)) throw new CommandRefusedError(fit);
  return state.details.maxClassesPerDay;
};

export interface NewClass {
  classId: string;
  societyId: string;
  name: string;
  classType: string;
  date: string;
  start: number;
  end: number;
  maxMembers: number;
  trainerId: string | null;
  scheduledBy: string | null;
}

/**
 * Schedules a class. With a trainer: claim the trainer's day first (DESIGN.md, invariant 3),
 * then record the class with its trainer; if the class is refused, release the claim.
 */
export const scheduleClass = async (
  commands: CommandHandler,
  input: NewClass,
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> => {
  const society = await loadSocietySettings(commands, input.societyId);
  const command: ClassCommand = {
    type: 'ScheduleClass',
    ...input,
    ...classSlot(input.date, input.start, input.end, society.timezone),
    societyMaxMembersPerEvent: society.maxMembersPerEvent,
  };
  precheck(command, classDecider.initialState());
  const { trainerId } = input;
  const record = recordOnClass(commands, input.classId, command, metadata);
  if (!trainerId) return record();
  return reserveThenAct({
    reserve: () =>
      assignTrainerToSlot(
        commands,
        { ...input, trainerId, societyLocation: society.location, timezone: society.timezone },
        metadata,
      ),
    act: record,
    compensate: () =>
      releaseTrainerSlot(commands, { trainerId, classId: input.classId, date: input.date }, metadata),
  });
};

/** Name, class type, seats. A new class type must still be one the assigned trainer teaches. */
type ClassDetailsChange = {
  classId: string;
  changes: { name?: string; classType?: string; maxMembers?: number };
};

const classDetailsCommand = async (commands: CommandHandler, input: ClassDetailsChange) => {
  const current = await loadClass(commands, input.classId);
  const society = await loadSocietySettings(commands, current.societyId);
  const { classType } = input.changes;
  if (classType !== undefined && current.trainerId && classType !== current.classType)
    await ensureTrainerFits(commands, current.trainerId, { ...current, classType });
  return {
    type: 'ChangeClassDetails' as const,
    changes: input.changes,
    societyMaxMembersPerEvent: society.maxMembersPerEvent,
  };
};

/**
 * Refuses a details change the way `changeClassDetails` would, writing nothing: a PATCH that
 * also moves the class checks this first, so it is refused whole or not at all.
 */
export const precheckClassDetails = async (commands: CommandHandler, input: ClassDetailsChange) => {
  const command = await classDetailsCommand(commands, input);
  const { state } = await commands.load(streams.class(input.classId), classDecider);
  precheck(command, state);
};

export const changeClassDetails = async (
  commands: CommandHandler,
  input: ClassDetailsChange,
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> =>
  commands.handle(
    streams.class(input.classId),
    classDecider,
    await classDetailsCommand(commands, input),
    metadata,
  );

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
  if (precheck(command, current).length === 0 || !trainerId)
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
  if (precheck(command, current).length === 0)
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

export const addClassActivity = (
  commands: CommandHandler,
  input: { classId: string; activity: Activity; order?: number },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> =>
  commands.handle(
    streams.class(input.classId),
    classDecider,
    { type: 'AddActivity', activity: input.activity, order: input.order },
    metadata,
  );

export const changeClassActivity = (
  commands: CommandHandler,
  input: { classId: string; activityId: string; changes: ActivityChanges; order?: number },
  metadata: CommandMetadata,
): Promise<CommandOutcome<ClassEvent>> =>
  commands.handle(
    streams.class(input.classId),
    classDecider,
    { type: 'ChangeActivity', activityId: input.activityId, changes: input.changes, order: input.order },
    metadata,
  );
