import { eligibility } from './eligibility';
import { solveWeekPlan } from './solveWeekPlan';
import { planToWire, type SolverAnswer, type SolverTask } from './solverWire';

/**
 * One solve, as the solver's worker thread runs it: measure the week (its candidate pairs, which
 * takes the eligibility pass the solve needs anyway), refuse it if too large, else solve it.
 */
export const runSolverTask = async ({
  problem,
  options,
  maxCandidatePairs,
}: SolverTask): Promise<SolverAnswer> => {
  const eligible = eligibility(problem);
  const candidatePairs = eligible.candidates.reduce((n, trainers) => n + trainers.length, 0);
  if (maxCandidatePairs !== undefined && candidatePairs > maxCandidatePairs)
    return { kind: 'too-large', candidatePairs, maxCandidatePairs };
  return { kind: 'plan', plan: planToWire(await solveWeekPlan(problem, options, eligible)) };
};
