import { haversineKm } from '../trainers/trainerDayDecider';
import type { Assignment, PlanSlot, PlanTrainer, PlanningProblem } from './planningProblem';

/**
 * What a plan costs, in kilometre-equivalents. Travel is the trainer's distance from home to
 * the society, per class. Balance is W·Σ(load²) over the week (only the part this plan adds):
 * convex, so a fourth class for one trainer costs more than a first for another. A missed
 * preferred trainer costs as much as a 30 km detour; an unstaffed class more than any plan.
 */
export const OBJECTIVE_WEIGHTS = {
  balancePerLoadSquared: 2,
  preferenceMissed: 30,
  unstaffed: 10_000,
} as const;

/** A society without coordinates: assume the distance the unknown-distance travel buffer implies (1 h at city speed). */
export const UNKNOWN_DISTANCE_KM = 20;

export const travelKm = (trainer: PlanTrainer, slot: PlanSlot): number =>
  trainer.home && slot.societyLocation
    ? Math.round(haversineKm(trainer.home, slot.societyLocation) * 10) / 10
    : UNKNOWN_DISTANCE_KM;

export const missesPreference = (trainer: PlanTrainer, slot: PlanSlot): boolean =>
  slot.preferredTrainerId !== null && slot.preferredTrainerId !== trainer.trainerId;

/** The balance cost of a trainer's n-th class of the week (1-based, counting booked ones). */
export const loadIncrementCost = (n: number): number => OBJECTIVE_WEIGHTS.balancePerLoadSquared * (2 * n - 1);

/** The cost of giving a slot to a trainer who already has `load` classes this week. */
export const marginalCost = (trainer: PlanTrainer, slot: PlanSlot, load: number): number =>
  travelKm(trainer, slot) +
  loadIncrementCost(load + 1) +
  (missesPreference(trainer, slot) ? OBJECTIVE_WEIGHTS.preferenceMissed : 0);

export interface PlanCost {
  readonly travelKm: number;
  readonly balance: number;
  readonly preferencesMissed: number;
  readonly unstaffed: number;
  /** travel + balance + W·missed + W·unstaffed: what the solver minimises. */
  readonly total: number;
  /** Most and fewest classes a trainer has this week (booked ones included). */
  readonly maxLoad: number;
  readonly minLoad: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export const planCost = (problem: PlanningProblem, assignment: Assignment): PlanCost => {
  const trainers = new Map(problem.trainers.map((t) => [t.trainerId, t]));
  const added = new Map<string, number>();
  let travel = 0;
  let missed = 0;
  let unstaffed = 0;
  for (const slot of problem.slots) {
    const trainerId = assignment.get(slot.classId);
    const trainer = trainerId ? trainers.get(trainerId) : undefined;
    if (!trainer) {
      unstaffed++;
      continue;
    }
    travel += travelKm(trainer, slot);
    if (missesPreference(trainer, slot)) missed++;
    added.set(trainer.trainerId, (added.get(trainer.trainerId) ?? 0) + 1);
  }
  const loads = problem.trainers.map((t) => t.booked.length + (added.get(t.trainerId) ?? 0));
  const balance =
    OBJECTIVE_WEIGHTS.balancePerLoadSquared *
    problem.trainers.reduce((sum, t, i) => sum + loads[i]! ** 2 - t.booked.length ** 2, 0);
  return {
    travelKm: round2(travel),
    balance,
    preferencesMissed: missed,
    unstaffed,
    total: round2(
      travel +
        balance +
        OBJECTIVE_WEIGHTS.preferenceMissed * missed +
        OBJECTIVE_WEIGHTS.unstaffed * unstaffed,
    ),
    maxLoad: loads.length ? Math.max(...loads) : 0,
    minLoad: loads.length ? Math.min(...loads) : 0,
  };
};
