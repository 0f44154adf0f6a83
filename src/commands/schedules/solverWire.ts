import type { PlanCost } from './planObjective';
import type { PlanningProblem, UnstaffedReason } from './planningProblem';
import type { SolveOptions, SolverReport, WeekPlan } from './solveWeekPlan';

/**
 * What crosses to and from the solver's thread: plain data only (arrays and records, no Maps or
 * class instances), so a message is exactly what was sent whatever the structured-clone rules.
 */
export interface SolverTask {
  readonly problem: PlanningProblem;
  readonly options: SolveOptions;
  /** Refuse, rather than solve, a week with more candidate (class, trainer) pairs than this. */
  readonly maxCandidatePairs?: number;
}

export interface WirePlan {
  readonly assignment: readonly (readonly [classId: string, trainerId: string])[];
  readonly unstaffed: readonly (readonly [classId: string, reason: UnstaffedReason])[];
  readonly cost: PlanCost;
  readonly solver: SolverReport;
}

export type SolverAnswer =
  | { readonly kind: 'plan'; readonly plan: WirePlan }
  | { readonly kind: 'too-large'; readonly candidatePairs: number; readonly maxCandidatePairs: number };

export const planToWire = (plan: WeekPlan): WirePlan => ({
  assignment: [...plan.assignment],
  unstaffed: [...plan.unstaffed],
  cost: plan.cost,
  solver: plan.solver,
});

export const planFromWire = (wire: WirePlan): WeekPlan => ({
  assignment: new Map(wire.assignment),
  unstaffed: new Map(wire.unstaffed),
  cost: wire.cost,
  solver: wire.solver,
});
