import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { v5 as uuidv5 } from 'uuid';
import { streams } from '../../events/streams';
import { WEEKDAYS } from '../../events/trainers/trainerEvents';
import { comparePositions, type Position } from '../../events/store/position';
import {
  existingClassIds,
  turnedAwayByClass,
  type HeldClaimRow,
} from '../../projections/schedules/planningQueries';
import { classSlot, loadSocietySettings } from '../classes/classCommandSteps';
import { scheduleClass } from '../classes/classCommands';
import { CommandRefusedError, type CommandHandler, type CommandMetadata } from '../handling/commandHandler';
import { releaseTrainerSlot } from '../trainers/trainerCommands';
import type { ClaimInstants } from '../trainers/trainerDayDecider';
import { applyDemand } from './demand';
import { addDays, datesOfIsoWeek, isoWeekOf } from './isoWeek';
import type { PlanSlot, PlanningProblem } from './planningProblem';
import type { WeekPlan } from './solveWeekPlan';
import { solverPool } from './solverPool';
import { loadScheduleTemplates } from './templateCommands';
import { weekRecordDecider } from './weekRecordDecider';
import { trainersForWeek } from './weekTrainers';

/** Namespace of generated class ids (a fixed, random UUID: never change it). */
const GENERATED_CLASS_NAMESPACE = '3d0f8f52-8a53-4d8e-b5a4-5f3c1c6e9b71';

/** The class a template makes in a week: the same id every time, so a second run finds it. */
export const generatedClassId = (societyId: string, templateId: string, isoWeek: string): string =>
  uuidv5(`${societyId}:${templateId}:${isoWeek}`, GENERATED_CLASS_NAMESPACE);

/** The extra class demand adds after a template's class (see applyDemand). */
export const extraClassId = (societyId: string, templateId: string, isoWeek: string): string =>
  uuidv5(`${societyId}:${templateId}:extra:${isoWeek}`, GENERATED_CLASS_NAMESPACE);

/** How many past weeks of waitlists count as a template's demand. */
const DEMAND_WEEKS = 3;

/**
 * Per template, the members its classes turned away per week, averaged over the recent weeks
 * in which it had a class (the same generated ids, so only generated classes count).
 */
const recentDemand = async (
  knex: Knex,
  slots: readonly PlanSlot[],
  isoWeek: string,
): Promise<Map<string, number>> => {
  const monday = datesOfIsoWeek(isoWeek)[0]!;
  const past = Array.from({ length: DEMAND_WEEKS }, (_, k) => isoWeekOf(addDays(monday, -7 * (k + 1))));
  const classOf = new Map<string, string>();
  for (const slot of slots)
    for (const week of past)
      classOf.set(generatedClassId(slot.societyId, slot.templateId, week), slot.templateId);
  const ids = [...classOf.keys()];
  const [held, turnedAway] = await Promise.all([existingClassIds(knex, ids), turnedAwayByClass(knex, ids)]);
  const totals = new Map<string, { weeks: number; turnedAway: number }>();
  for (const id of held) {
    const templateId = classOf.get(id)!;
    const t = totals.get(templateId) ?? { weeks: 0, turnedAway: 0 };
    totals.set(templateId, { weeks: t.weeks + 1, turnedAway: t.turnedAway + (turnedAway.get(id) ?? 0) });
  }
  return new Map([...totals].map(([templateId, t]) => [templateId, t.turnedAway / t.weeks]));
};

export interface PlanningDependencies {
  readonly knex: Knex;
  readonly commands: CommandHandler;
  readonly clock?: () => Date;
}

export interface WeekRequest {
  readonly isoWeek: string;
  readonly societyIds: readonly string[];
  readonly timeLimitSeconds: number;
  /**
   * Refuse (422 solve-too-large) a week with more candidate (class, trainer) pairs than this. The
   * API sets it for every caller; the weekly job plans whatever the deployment holds.
   */
  readonly maxCandidatePairs?: number;
}

export interface ProposedClass extends PlanSlot {
  readonly timezone: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly trainerId: string | null;
}

export interface WeekProposal {
  readonly isoWeek: string;
  readonly societyIds: readonly string[];
  /** Every slot planned this run, with its trainer or null (then `plan.unstaffed` says why). */
  readonly classes: readonly ProposedClass[];
  /** Slots whose class exists already (an earlier run, or a retry): left as they are. */
  readonly alreadyGenerated: readonly ProposedClass[];
  /** Slots that start before now: a class cannot be scheduled in the past. */
  readonly inThePast: readonly ProposedClass[];
  readonly problem: PlanningProblem;
  readonly plan: WeekPlan;
  /** Claims left by an interrupted earlier run for classes still to be made (released on generate). */
  readonly strayClaims: readonly HeldClaimRow[];
}

const instantsAt = (when: { startsAt: string; endsAt: string }): ClaimInstants => ({
  startsAt: Date.parse(when.startsAt),
  endsAt: Date.parse(when.endsAt),
});

const byTime = (a: PlanSlot, b: PlanSlot) =>
  a.date.localeCompare(b.date) || a.start - b.start || a.classId.localeCompare(b.classId);

/**
 * Plans a week for some societies together (they share trainers): their templates become slots
 * on the week's dates (a template's local time stays its local time whatever the UTC offset that
 * day — DST weeks included), recent waitlists raise a class's seats or add one after it
 * (applyDemand), trainers and the claims they already hold come from the read side
 * (weekTrainers.ts), and the solver staffs what is neither generated already nor in the past.
 * Writes nothing.
 */
export const proposeWeek = async (
  deps: PlanningDependencies,
  request: WeekRequest,
): Promise<WeekProposal> => {
  const now = (deps.clock ?? (() => new Date()))();
  const dates = datesOfIsoWeek(request.isoWeek);
  const fromTemplates: ProposedClass[] = [];
  for (const societyId of request.societyIds) {
    const society = await loadSocietySettings(deps.commands, societyId);
    for (const template of await loadScheduleTemplates(deps.commands, societyId)) {
      const date = dates[WEEKDAYS.indexOf(template.weekday)]!;
      const when = classSlot(date, template.start, template.end, society.timezone);
      fromTemplates.push({
        classId: generatedClassId(societyId, template.templateId, request.isoWeek),
        societyId,
        templateId: template.templateId,
        name: template.name,
        classType: template.classType,
        date,
        start: template.start,
        end: template.end,
        instants: instantsAt(when),
        // The society's limit may have dropped since the template was written.
        maxMembers: Math.min(template.maxMembers, society.maxMembersPerEvent),
        societyMaxMembersPerEvent: society.maxMembersPerEvent,
        preferredTrainerId: template.preferredTrainerId,
        societyLocation: society.location,
        timezone: society.timezone,
        startsAt: when.startsAt,
        endsAt: when.endsAt,
        trainerId: null,
      });
    }
  }
  const demand = await recentDemand(deps.knex, fromTemplates, request.isoWeek);
  const all = applyDemand(fromTemplates, demand, (slot) => {
    const when = classSlot(slot.date, slot.end, 2 * slot.end - slot.start, slot.timezone);
    return {
      classId: extraClassId(slot.societyId, slot.templateId, request.isoWeek),
      startsAt: when.startsAt,
      endsAt: when.endsAt,
      instants: instantsAt(when),
    };
  }).sort(byTime);
  const existing = await existingClassIds(
    deps.knex,
    all.map((s) => s.classId),
  );
  const alreadyGenerated = all.filter((s) => existing.has(s.classId));
  const inThePast = all.filter((s) => !existing.has(s.classId) && Date.parse(s.startsAt) <= now.getTime());
  const pending = all.filter((s) => !existing.has(s.classId) && Date.parse(s.startsAt) > now.getTime());
  const pendingIds = new Set(pending.map((s) => s.classId));

  const { trainers, strayClaims } = await trainersForWeek(deps.knex, dates, pendingIds);
  const problem: PlanningProblem = { slots: pending, trainers };
  // On a worker thread: the solve is synchronous for up to its time limit.
  const plan = await solverPool().solve(problem, {
    timeLimitSeconds: request.timeLimitSeconds,
    maxCandidatePairs: request.maxCandidatePairs,
  });
  return {
    isoWeek: request.isoWeek,
    societyIds: request.societyIds,
    classes: pending.map((s) => ({ ...s, trainerId: plan.assignment.get(s.classId) ?? null })),
    alreadyGenerated,
    inThePast,
    problem,
    plan,
    strayClaims,
  };
};

export interface WeekGeneration {
  readonly proposal: WeekProposal;
  /** Classes this run created, each with its trainer. */
  readonly created: readonly ProposedClass[];
  /** Slots left without a class, with the reason (the plan's, or the claim's refusal in a race). */
  readonly unstaffed: readonly { slot: ProposedClass; reason: string }[];
  /** The latest position written, for read-your-writes. */
  readonly position: Position | undefined;
}

const later = (a: Position | undefined, b: Position | undefined) =>
  !a ? b : !b ? a : comparePositions(a, b) >= 0 ? a : b;

/**
 * Plans the week, then makes each staffed class through the same command as a hand-made one
 * (scheduleClass: trainer-day claim first, released if the class refuses), so every invariant
 * holds even if the read side the plan came from was behind. Command ids derive from the class
 * id, so a retried or repeated run replays instead of writing twice. Unstaffed slots make no
 * class: the next run (after availability changes) may staff them.
 */
export const generateWeek = async (
  deps: PlanningDependencies,
  request: WeekRequest,
  context: { actor?: CommandMetadata['actor']; correlationId?: string },
): Promise<WeekGeneration> => {
  const proposal = await proposeWeek(deps, request);
  const created: ProposedClass[] = [];
  const unstaffed: { slot: ProposedClass; reason: string }[] = [];
  let position: Position | undefined;
  const metadata = (commandId: string, commandType: string): CommandMetadata => ({
    commandId,
    commandType,
    correlationId: context.correlationId,
    actor: context.actor,
  });

  for (const slot of proposal.classes) {
    const { trainerId } = slot;
    if (!trainerId) {
      unstaffed.push({ slot, reason: proposal.plan.unstaffed.get(slot.classId) ?? 'trainers-fully-booked' });
      continue;
    }
    try {
      const outcome = await scheduleClass(
        deps.commands,
        {
          classId: slot.classId,
          societyId: slot.societyId,
          name: slot.name,
          classType: slot.classType,
          date: slot.date,
          start: slot.start,
          end: slot.end,
          maxMembers: slot.maxMembers,
          trainerId,
          scheduledBy: context.actor?.id ?? null,
        },
        metadata(`GenerateWeek:${slot.classId}`, 'ScheduleClass'),
      );
      position = later(position, outcome.position);
      created.push(slot);
    } catch (error) {
      if (!(error instanceof CommandRefusedError)) throw error;
      // Someone else made this class or took the trainer since the plan was read: report, go on.
      if (error.refusal.type !== 'class-already-exists') unstaffed.push({ slot, reason: error.refusal.type });
    }
    for (const stray of proposal.strayClaims.filter(
      (c) => c.class_id === slot.classId && c.trainer_id !== trainerId,
    )) {
      const released = await releaseTrainerSlot(
        deps.commands,
        { trainerId: stray.trainer_id, classId: stray.class_id, date: stray.date },
        metadata(`GenerateWeek:${slot.classId}:stray`, 'ReleaseTrainerSlot'),
      );
      position = later(position, released.position);
    }
  }

  for (const societyId of request.societyIds) {
    const classIds = created.filter((c) => c.societyId === societyId).map((c) => c.classId);
    const digest = createHash('sha256').update(classIds.join(',')).digest('hex').slice(0, 16);
    const outcome = await deps.commands.handle(
      streams.scheduleWeek(societyId, request.isoWeek),
      weekRecordDecider,
      {
        type: 'RecordWeekGenerated',
        societyId,
        isoWeek: request.isoWeek,
        classIds,
        unstaffed: unstaffed
          .filter((u) => u.slot.societyId === societyId)
          .map((u) => ({ templateId: u.slot.templateId, date: u.slot.date, reason: u.reason })),
        solver: {
          method: proposal.plan.solver.method,
          status: proposal.plan.solver.status,
          seconds: proposal.plan.solver.seconds,
        },
        generatedBy: context.actor?.id ?? null,
      },
      metadata(`RecordWeekGenerated:${societyId}:${request.isoWeek}:${digest}`, 'RecordWeekGenerated'),
    );
    position = later(position, outcome.position);
  }
  return { proposal, created, unstaffed, position };
};

/** Has this society's week been generated (by any run)? */
export const weekGenerated = async (
  commands: CommandHandler,
  societyId: string,
  isoWeek: string,
): Promise<boolean> =>
  (await commands.load(streams.scheduleWeek(societyId, isoWeek), weekRecordDecider)).state.generated;
