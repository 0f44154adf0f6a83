import { isRefusal } from '../handling/decider';
import { checkTrainerFit } from '../trainers/trainerFit';
import type { PlanningProblem, UnstaffedReason } from './planningProblem';
import { classesClash } from './trainerClash';

export interface Eligibility {
  /** Per slot (problem order): indexes of the trainers who could take it on their own. */
  readonly candidates: readonly (readonly number[])[];
  /** Per slot: why nobody could, when `candidates` is empty (else null). */
  readonly blocked: readonly (UnstaffedReason | null)[];
}

/**
 * Who could take each slot, one trainer and one slot at a time: the same fit check the claim
 * runs (specialization, declared availability), then the claims they already hold that day
 * (daily limit, overlap with travel). What remains is for the solver to share out.
 */
export const eligibility = (problem: PlanningProblem): Eligibility => {
  const candidates: number[][] = [];
  const blocked: (UnstaffedReason | null)[] = [];
  for (const slot of problem.slots) {
    const fits: number[] = [];
    let teaches = false;
    let available = false;
    problem.trainers.forEach((trainer, j) => {
      const fit = checkTrainerFit(trainer, slot);
      if (isRefusal(fit)) {
        if (fit.type !== 'trainer-specialization-mismatch') teaches = true;
        return;
      }
      teaches = available = true;
      const sameDay = trainer.booked.filter((b) => b.date === slot.date);
      if (sameDay.length >= trainer.maxClassesPerDay) return;
      if (sameDay.some((b) => classesClash(b, slot))) return;
      fits.push(j);
    });
    candidates.push(fits);
    blocked.push(
      fits.length
        ? null
        : !teaches
          ? 'no-trainer-teaches-class-type'
          : !available
            ? 'no-trainer-available'
            : 'trainers-fully-booked',
    );
  }
  return { candidates, blocked };
};
