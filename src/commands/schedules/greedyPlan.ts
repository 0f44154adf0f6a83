import type { Eligibility } from './eligibility';
import { marginalCost } from './planObjective';
import type { Assignment, PlanningProblem } from './planningProblem';
import { classesClash } from './trainerClash';

/**
 * The dispatcher's way, as a baseline and a fallback: take the week's classes in time order and
 * give each to the cheapest trainer still free for it (travel, then load, then preference),
 * never looking back. Always feasible; rarely optimal.
 */
export const greedyPlan = (problem: PlanningProblem, eligible: Eligibility): Assignment => {
  const order = problem.slots
    .map((slot, i) => ({ slot, i }))
    .sort(
      (a, b) =>
        a.slot.date.localeCompare(b.slot.date) ||
        a.slot.start - b.slot.start ||
        a.slot.classId.localeCompare(b.slot.classId),
    );
  const taken = problem.trainers.map((t) => [...t.booked]);
  const assignment = new Map<string, string>();
  for (const { slot, i } of order) {
    let best: { j: number; cost: number } | null = null;
    for (const j of eligible.candidates[i]!) {
      const trainer = problem.trainers[j]!;
      const sameDay = taken[j]!.filter((b) => b.date === slot.date);
      if (sameDay.length >= trainer.maxClassesPerDay || sameDay.some((b) => classesClash(b, slot))) continue;
      const cost = marginalCost(trainer, slot, taken[j]!.length);
      if (!best || cost < best.cost) best = { j, cost };
    }
    if (best) {
      taken[best.j]!.push(slot);
      assignment.set(slot.classId, problem.trainers[best.j]!.trainerId);
    }
  }
  return assignment;
};
