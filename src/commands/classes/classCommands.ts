import { streams } from '../../events/streams';
import type { ClassEvent } from '../../events/classes/classEvents';
import { reserveThenAct } from '../handling/saga';
import type { CommandHandler, CommandMetadata, CommandOutcome } from '../handling/commandHandler';
import { assignTrainerToSlot, releaseTrainerSlot } from '../trainers/trainerCommands';
import { classDecider, type ClassCommand } from './classDecider';
import {
  classSlot,
  ensureTrainerFits,
  loadClass,
  loadSocietySettings,
  precheck,
  recordOnClass,
} from './classCommandSteps';

// Scheduling a class and changing its details live here; moving and staffing it (classMoves.ts),
// cancelling it (classCancellation.ts) and its activities (classActivities.ts) have their own
// modules, and the steps they share are in classCommandSteps.ts.

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
  /** Where in the society the class takes place (left out when not said). */
  location?: string;
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
  await precheck(commands, input.classId, command, metadata, { asNew: true });
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

/** No recorded command has this id, so the check below always decides (it records nothing). */
const PRECHECK_ONLY: CommandMetadata = { commandId: 'precheck-only', commandType: 'ChangeClassDetails' };

/**
 * Refuses a details change the way `changeClassDetails` would, writing nothing: a PATCH that
 * also moves the class checks this first, so it is refused whole or not at all.
 */
export const precheckClassDetails = async (commands: CommandHandler, input: ClassDetailsChange) => {
  const command = await classDetailsCommand(commands, input);
  await precheck(commands, input.classId, command, PRECHECK_ONLY);
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
