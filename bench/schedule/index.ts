import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eligibility } from '../../src/commands/schedules/eligibility';
import { greedyPlan } from '../../src/commands/schedules/greedyPlan';
import { hardRuleViolations } from '../../src/commands/schedules/hardRuleViolations';
import { OBJECTIVE_WEIGHTS, planCost, type PlanCost } from '../../src/commands/schedules/planObjective';
import { solveWeekPlan } from '../../src/commands/schedules/solveWeekPlan';
import { generateInstance, type InstanceShape } from './instance';

/**
 * `npm run bench:schedule`: one generated week (40 societies, 60 trainers, 400 slots by
 * default), staffed by the HiGHS MIP and by the time-ordered greedy in the same run. Reports
 * solve time, hard-rule violations found by the independent validator (must be 0 for both),
 * and the objective and its parts side by side, with the MIP/greedy ratio (lower is better).
 *
 * Env: SCHEDULE_BENCH_SEEDS (comma list, default 1,2,3), SCHEDULE_BENCH_TIME_LIMIT (s, default 60),
 * SCHEDULE_BENCH_SOCIETIES / _TRAINERS / _SLOTS.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const seeds = (process.env.SCHEDULE_BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
const timeLimitSeconds = env('SCHEDULE_BENCH_TIME_LIMIT', 60);

const costView = (c: PlanCost) => ({
  total: c.total,
  /** The objective without the unstaffed penalty: what the staffed classes cost. */
  staffed_total: Math.round((c.total - OBJECTIVE_WEIGHTS.unstaffed * c.unstaffed) * 100) / 100,
  travel_km: c.travelKm,
  balance: c.balance,
  preferences_missed: c.preferencesMissed,
  unstaffed: c.unstaffed,
  max_load: c.maxLoad,
  min_load: c.minLoad,
});

const main = async () => {
  const runs = [];
  for (const seed of seeds) {
    const shape: InstanceShape = {
      societies: env('SCHEDULE_BENCH_SOCIETIES', 40),
      trainers: env('SCHEDULE_BENCH_TRAINERS', 60),
      slots: env('SCHEDULE_BENCH_SLOTS', 400),
      seed,
    };
    const problem = generateInstance(shape);

    const greedyStarted = performance.now();
    const greedy = greedyPlan(problem, eligibility(problem));
    const greedyMs = performance.now() - greedyStarted;
    const greedyCost = planCost(problem, greedy);

    const mip = await solveWeekPlan(problem, { timeLimitSeconds });
    const run = {
      seed,
      shape,
      mip: {
        seconds: mip.solver.seconds,
        method: mip.solver.method,
        status: mip.solver.status,
        gap: mip.solver.gap,
        variables: mip.solver.variables,
        constraints: mip.solver.constraints,
        violations: hardRuleViolations(problem, mip.assignment).length,
        cost: costView(mip.cost),
      },
      greedy: {
        seconds: Math.round(greedyMs) / 1000,
        violations: hardRuleViolations(problem, greedy).length,
        cost: costView(greedyCost),
      },
      ratio: {
        total_mip_over_greedy: Math.round((mip.cost.total / greedyCost.total) * 1000) / 1000,
        staffed_total_mip_over_greedy:
          Math.round((costView(mip.cost).staffed_total / costView(greedyCost).staffed_total) * 1000) / 1000,
        travel_mip_over_greedy: Math.round((mip.cost.travelKm / greedyCost.travelKm) * 1000) / 1000,
      },
    };
    runs.push(run);
    console.log(
      `seed ${seed}: ${shape.societies} societies, ${shape.trainers} trainers, ${shape.slots} slots | ` +
        `MIP ${run.mip.status} in ${run.mip.seconds} s (gap ${run.mip.gap}), ${run.mip.variables} vars, ` +
        `${run.mip.constraints} rows, violations ${run.mip.violations} | greedy violations ${run.greedy.violations}`,
    );
    console.table({
      mip: run.mip.cost,
      greedy: run.greedy.cost,
    });
    console.log(
      `  objective MIP/greedy = ${run.ratio.total_mip_over_greedy}, travel MIP/greedy = ${run.ratio.travel_mip_over_greedy}`,
    );
  }
  const violations = runs.reduce((n, r) => n + r.mip.violations + r.greedy.violations, 0);
  const result = {
    benchmark: 'schedule',
    generated_at: new Date().toISOString(),
    time_limit_seconds: timeLimitSeconds,
    node: process.version,
    runs,
    summary: {
      hard_rule_violations: violations,
      median_solve_seconds: median(runs.map((r) => r.mip.seconds)),
      median_objective_ratio: median(runs.map((r) => r.ratio.total_mip_over_greedy)),
    },
  };
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'schedule-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`summary: ${JSON.stringify(result.summary)} → bench/results/schedule-latest.json`);
  if (violations > 0) process.exitCode = 1;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

void main();
