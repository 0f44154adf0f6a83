import { streams } from '../../events/streams';
import { localToInstant } from '../../events/classes/classTime';
import { CommandRefusedError, type CommandHandler, type CommandMetadata } from '../handling/commandHandler';
import { isRefusal, refuse, type DomainEvent } from '../handling/decider';
import { societyDecider } from '../societies/societyDecider';
import type { GeoPoint } from '../trainers/trainerDayDecider';
import { trainerDecider, trainerNotFound } from '../trainers/trainerDecider';
import { checkTrainerFit } from '../trainers/trainerFit';
import { classDecider, type ClassCommand, type ClassSlot, type ScheduledClass } from './classDecider';

/** What the class commands load and check before they decide: the society, the class, its trainer. */
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
 * refused anyway claims nothing; answers what the command would record (nothing: there is nothing
 * to do, or this very command was applied already). Asked through the handler, so the decision
 * sees the handler's clock and the class as it is recorded, as the real decision (made at append
 * time) will.
 */
export const precheck = async (
  commands: CommandHandler,
  classId: string,
  command: ClassCommand,
  metadata: CommandMetadata,
  /**
   * Decide as on a class not recorded yet (scheduling): only the new class's own rules are checked
   * here; whether its id is taken is left to the append (the saga then gives the claim back).
   */
  options: { asNew?: boolean } = {},
): Promise<DomainEvent[]> => {
  let decided: DomainEvent[] = [];
  // A decider object of its own per call: `check` then folds the stream afresh rather than trust a
  // fold cached by this process (the answer decides whether a trainer's day is claimed at all).
  const recordingDecision: typeof classDecider = {
    ...classDecider,
    decide: (c, state, ctx) => {
      const decision = classDecider.decide(c, options.asNew ? classDecider.initialState() : state, ctx);
      if (!isRefusal(decision)) decided = decision;
      return decision;
    },
  };
  await commands.check(streams.class(classId), recordingDecision, command, metadata);
  return decided;
};

/** Records the command on the class stream: the act of every trainer-claim saga below. */
export const recordOnClass =
  (commands: CommandHandler, classId: string, command: ClassCommand, metadata: CommandMetadata) => () =>
    commands.handle(streams.class(classId), classDecider, command, metadata);

/** The trainer exists and can teach this class at that time (specialization, availability). */
export const ensureTrainerFits = async (
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
