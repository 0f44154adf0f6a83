import loadHighs from 'highs';
import { eligibility, type Eligibility } from './eligibility';
import { greedyPlan } from './greedyPlan';
import { hardRuleViolations } from './hardRuleViolations';
import { buildMipModel } from './mipModel';
import { planCost, type PlanCost } from './planObjective';
import type { Assignment, PlanningProblem, UnstaffedReason } from './planningProblem';

type Highs = Awaited<ReturnType<typeof loadHighs>>;

/** The WASM module loads once per process; every solve after that is synchronous. */
let highsLoading: Promise<Highs> | undefined;
const highs = () =>
  (highsLoading ??= loadHighs().catch((error: unknown) => {
    highsLoading = undefined; // a failed load is retried by the next solve
    throw error;
  }));

export interface SolveOptions {
  /** Wall-clock budget for the MIP; past it the best plan found so far is used. */
  readonly timeLimitSeconds: number;
  /** Stop once the plan is proven within this fraction of the optimum (HiGHS mip_rel_gap). */
  readonly relativeGap?: number;
}

export interface SolverReport {
  /** 'mip' when HiGHS produced the plan, 'greedy' when it could not (no plan within the limit). */
  readonly method: 'mip' | 'greedy' | 'none';
  /** 'optimal', 'time-limit' (best found, `gap` says how far it may be from optimal), or why greedy. */
  readonly status: string;
  readonly seconds: number;
  readonly gap: number | null;
  readonly variables: number;
  readonly constraints: number;
}

export interface WeekPlan {
  readonly assignment: Assignment;
  readonly unstaffed: ReadonlyMap<string, UnstaffedReason>;
  readonly cost: PlanCost;
  readonly solver: SolverReport;
}

const PRIMAL_FEASIBLE = 2;

/**
 * Staffs a week as a MIP with HiGHS, warm-started from the greedy plan so the solver always
 * holds a feasible incumbent: on a time limit the answer is the best plan found (never worse
 * than greedy), and if HiGHS fails outright the greedy plan is used and the report says so.
 */
export const solveWeekPlan = async (
  problem: PlanningProblem,
  options: SolveOptions,
  /** Who could take each slot, when the caller has worked it out already (see solverTask). */
  eligible: Eligibility = eligibility(problem),
): Promise<WeekPlan> => {
  const started = performance.now();
  const greedy = greedyPlan(problem, eligible);
  const unstaffedOf = (assignment: Assignment) =>
    new Map(
      problem.slots
        .map((slot, i) => [slot, i] as const)
        .filter(([slot]) => !assignment.has(slot.classId))
        .map(([slot, i]) => [slot.classId, eligible.blocked[i] ?? 'trainers-fully-booked'] as const),
    );
  const finish = (assignment: Assignment, report: Omit<SolverReport, 'seconds'>): WeekPlan => ({
    assignment,
    unstaffed: unstaffedOf(assignment),
    cost: planCost(problem, assignment),
    solver: { ...report, seconds: Math.round(performance.now() - started) / 1000 },
  });
  if (problem.slots.length === 0)
    return finish(new Map(), {
      method: 'none',
      status: 'nothing-to-plan',
      gap: null,
      variables: 0,
      constraints: 0,
    });

  try {
    return await solveMip(problem, eligible, greedy, options, finish);
  } catch (error) {
    // The solver itself failed (could not load, rejected the model): the greedy plan is still sound.
    return finish(greedy, {
      method: 'greedy',
      status: `solver-error: ${(error as Error).message}`,
      gap: null,
      variables: 0,
      constraints: 0,
    });
  }
};

const solveMip = async (
  problem: PlanningProblem,
  eligible: Eligibility,
  greedy: Assignment,
  options: SolveOptions,
  finish: (assignment: Assignment, report: Omit<SolverReport, 'seconds'>) => WeekPlan,
): Promise<WeekPlan> => {
  const mip = buildMipModel(problem, eligible);
  const solver = await highs();
  const model = solver.createModel({ format: 'lp', data: mip.lp });
  try {
    const { numCols, numRows } = model.getLp();
    const size = { variables: numCols, constraints: numRows };
    model.options.set({
      output_flag: false,
      time_limit: options.timeLimitSeconds,
      mip_rel_gap: options.relativeGap ?? 1e-6,
    });
    const start = new Float64Array(numCols);
    for (const [name, value] of mip.encode(greedy)) start[model.getColByName(name)] = value;
    model.setSolution({ colValue: start });
    model.run();
    const status = model.getModelStatus();
    const { optimal, timeLimit } = solver.constants.modelStatus;
    if (
      (status !== optimal && status !== timeLimit) ||
      model.info.get('primal_solution_status') !== PRIMAL_FEASIBLE
    )
      return finish(greedy, { method: 'greedy', status: `solver-status-${status}`, gap: null, ...size });
    const values = model.getSolution().colValue;
    const assignment = new Map<string, string>();
    for (const [name, { slot, trainer }] of mip.assignmentColumns)
      if (values[model.getColByName(name)]! > 0.5)
        assignment.set(problem.slots[slot]!.classId, problem.trainers[trainer]!.trainerId);
    // Belt and braces: a plan the independent validator rejects (numerical trouble) is not used.
    if (hardRuleViolations(problem, assignment).length > 0)
      return finish(greedy, { method: 'greedy', status: 'mip-plan-rejected', gap: null, ...size });
    const gap = Number(model.info.get('mip_gap'));
    return finish(assignment, {
      method: 'mip',
      status: status === optimal ? 'optimal' : 'time-limit',
      gap: Number.isFinite(gap) ? Math.round(gap * 1e6) / 1e6 : null,
      ...size,
    });
  } finally {
    model.dispose();
  }
};
