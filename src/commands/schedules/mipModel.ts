import type { Eligibility } from './eligibility';
import { OBJECTIVE_WEIGHTS, loadIncrementCost, missesPreference, travelKm } from './planObjective';
import type { Assignment, PlanningProblem } from './planningProblem';
import { classesClash } from './trainerClash';

/**
 * The week as a mixed-integer program, in CPLEX LP text (what HiGHS reads):
 *   x_i_j ∈ {0,1}  slot i taught by trainer j (only for eligible pairs)
 *   u_i   ∈ {0,1}  slot i left unstaffed
 *   y_j_k ∈ [0,1]  trainer j teaches at least k classes this plan adds; cost W·(2(booked+k)−1)
 *                  rises with k, so the LP fills them in order and Σ y costs W·(load² − booked²)
 * minimise  Σ (travel + missed preference) x + Σ W_unstaffed u + Σ balance y
 * s.t.      Σ_j x_i_j + u_i = 1                        every slot staffed or reported
 *           Σ_{i on date d} x_i_j ≤ max_per_day − booked  per trainer and date
 *           x_a_j + x_b_j ≤ 1                           a and b clash for j (travel included)
 *           Σ_i x_i_j − Σ_k y_j_k = 0                   per trainer
 */
export interface MipModel {
  readonly lp: string;
  /** Column name → (slot, trainer) for the x columns, to read an assignment back. */
  readonly assignmentColumns: ReadonlyMap<string, { slot: number; trainer: number }>;
  /** The column values that encode an assignment (a warm start), by column name. */
  readonly encode: (assignment: Assignment) => Map<string, number>;
}

const x = (i: number, j: number) => `x_${i}_${j}`;
const u = (i: number) => `u_${i}`;
const y = (j: number, k: number) => `y_${j}_${k}`;

/** LP format wants no exponents and tolerates long expressions only across lines. */
const num = (n: number) => (Math.round(n * 1000) / 1000).toFixed(3).replace(/\.?0+$/, '');
const expression = (terms: string[]) => {
  const lines: string[] = [];
  for (let k = 0; k < terms.length; k += 8) lines.push(terms.slice(k, k + 8).join(' + '));
  return lines.join('\n   + ');
};

export const buildMipModel = (problem: PlanningProblem, eligible: Eligibility): MipModel => {
  const { slots, trainers } = problem;
  const objective: string[] = [];
  const rows: string[] = [];
  const binaries: string[] = [];
  const bounds: string[] = [];
  const assignmentColumns = new Map<string, { slot: number; trainer: number }>();
  const slotsOf = trainers.map(() => [] as number[]);

  slots.forEach((slot, i) => {
    const terms: string[] = [];
    for (const j of eligible.candidates[i]!) {
      const trainer = trainers[j]!;
      const cost =
        travelKm(trainer, slot) + (missesPreference(trainer, slot) ? OBJECTIVE_WEIGHTS.preferenceMissed : 0);
      objective.push(`${num(cost)} ${x(i, j)}`);
      terms.push(x(i, j));
      binaries.push(x(i, j));
      assignmentColumns.set(x(i, j), { slot: i, trainer: j });
      slotsOf[j]!.push(i);
    }
    objective.push(`${OBJECTIVE_WEIGHTS.unstaffed} ${u(i)}`);
    binaries.push(u(i));
    rows.push(` staff_${i}: ${expression([...terms, u(i)])} = 1`);
  });

  const loadSteps = trainers.map(() => 0);
  trainers.forEach((trainer, j) => {
    const mine = slotsOf[j]!;
    if (mine.length === 0) return;
    const byDate = new Map<string, number[]>();
    for (const i of mine) byDate.set(slots[i]!.date, [...(byDate.get(slots[i]!.date) ?? []), i]);
    for (const [date, onDate] of byDate) {
      const room = trainer.maxClassesPerDay - trainer.booked.filter((b) => b.date === date).length;
      if (onDate.length > room)
        rows.push(
          ` day_${j}_${date.replaceAll('-', '')}: ${expression(onDate.map((i) => x(i, j)))} <= ${room}`,
        );
      for (let a = 0; a < onDate.length; a++)
        for (let b = a + 1; b < onDate.length; b++) {
          const [ia, ib] = [onDate[a]!, onDate[b]!];
          if (classesClash(slots[ia]!, slots[ib]!))
            rows.push(` clash_${j}_${ia}_${ib}: ${x(ia, j)} + ${x(ib, j)} <= 1`);
        }
    }
    const steps = Math.min(mine.length, 7 * trainer.maxClassesPerDay);
    loadSteps[j] = steps;
    const ys: string[] = [];
    for (let k = 1; k <= steps; k++) {
      objective.push(`${num(loadIncrementCost(trainer.booked.length + k))} ${y(j, k)}`);
      bounds.push(` 0 <= ${y(j, k)} <= 1`);
      ys.push(y(j, k));
    }
    rows.push(` load_${j}: ${expression(mine.map((i) => x(i, j)))} - ${ys.join(' - ')} = 0`);
  });

  const lp = [
    'Minimize',
    ` cost: ${expression(objective)}`,
    'Subject To',
    ...rows,
    'Bounds',
    ...bounds,
    'Binaries',
    ...Array.from(
      { length: Math.ceil(binaries.length / 10) },
      (_, k) => ` ${binaries.slice(k * 10, k * 10 + 10).join(' ')}`,
    ),
    'End',
    '',
  ].join('\n');

  const trainerIndex = new Map(trainers.map((t, j) => [t.trainerId, j]));
  const encode = (assignment: Assignment) => {
    const values = new Map<string, number>();
    const loads = trainers.map(() => 0);
    slots.forEach((slot, i) => {
      const j = trainerIndex.get(assignment.get(slot.classId) ?? '');
      if (j === undefined) {
        values.set(u(i), 1);
        return;
      }
      values.set(x(i, j), 1);
      loads[j]!++;
    });
    trainers.forEach((_, j) => {
      for (let k = 1; k <= Math.min(loads[j]!, loadSteps[j]!); k++) values.set(y(j, k), 1);
    });
    return values;
  };

  return { lp, assignmentColumns, encode };
};
