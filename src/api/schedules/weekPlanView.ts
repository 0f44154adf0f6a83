import { datesOfIsoWeek } from '../../commands/schedules/isoWeek';
import { travelKm } from '../../commands/schedules/planObjective';
import type { ProposedClass, WeekProposal } from '../../commands/schedules/weekGeneration';
import { formatMinute } from '../../commands/trainers/availability';

export interface UnstaffedSlot {
  slot: ProposedClass;
  reason: string;
}

const slotView = (slot: ProposedClass) => ({
  class_id: slot.classId,
  society_id: slot.societyId,
  template_id: slot.templateId,
  name: slot.name,
  class_type: slot.classType,
  date: slot.date,
  start_time: formatMinute(slot.start),
  end_time: formatMinute(slot.end),
  timezone: slot.timezone,
  starts_at: slot.startsAt,
  ends_at: slot.endsAt,
  max_members: slot.maxMembers,
  preferred_trainer_id: slot.preferredTrainerId,
});

/**
 * A proposal's classes split by whether the plan staffed them; an unstaffed class carries the
 * solver's reason, or 'trainers-fully-booked' when it gave none.
 */
export const staffingOf = (proposal: WeekProposal) => ({
  staffed: proposal.classes.filter((c) => c.trainerId),
  unstaffed: proposal.classes
    .filter((c) => !c.trainerId)
    .map((slot) => ({ slot, reason: proposal.plan.unstaffed.get(slot.classId) ?? 'trainers-fully-booked' })),
});

/** A week's plan as the API shows it: who takes which class, what stays open, and what it cost. */
export const planView = (
  proposal: WeekProposal,
  staffed: readonly ProposedClass[],
  unstaffed: readonly UnstaffedSlot[],
) => {
  const trainers = new Map(proposal.problem.trainers.map((t) => [t.trainerId, t]));
  const { cost, solver } = proposal.plan;
  return {
    week: proposal.isoWeek,
    week_start: datesOfIsoWeek(proposal.isoWeek)[0]!,
    society_ids: [...proposal.societyIds],
    assignments: staffed.map((slot) => {
      const trainer = slot.trainerId ? trainers.get(slot.trainerId) : undefined;
      return {
        ...slotView(slot),
        trainer_id: slot.trainerId,
        travel_km: trainer ? travelKm(trainer, slot) : null,
      };
    }),
    unstaffed: unstaffed.map(({ slot, reason }) => ({
      ...slotView(slot),
      trainer_id: null,
      travel_km: null,
      reason,
    })),
    already_generated: proposal.alreadyGenerated.map(slotView),
    in_the_past: proposal.inThePast.map(slotView),
    cost: {
      total: cost.total,
      travel_km: cost.travelKm,
      balance: cost.balance,
      preferences_missed: cost.preferencesMissed,
      unstaffed: cost.unstaffed,
      max_load: cost.maxLoad,
      min_load: cost.minLoad,
    },
    solver: {
      method: solver.method,
      status: solver.status,
      seconds: solver.seconds,
      gap: solver.gap,
      variables: solver.variables,
      constraints: solver.constraints,
    },
  };
};
