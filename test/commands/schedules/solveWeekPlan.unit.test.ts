import fc from 'fast-check';
import { hardRuleViolations } from '../../../src/commands/schedules/hardRuleViolations';
import { planCost } from '../../../src/commands/schedules/planObjective';
import type {
  Assignment,
  PlanSlot,
  PlanTrainer,
  PlanningProblem,
} from '../../../src/commands/schedules/planningProblem';
import { solveWeekPlan } from '../../../src/commands/schedules/solveWeekPlan';
import { eligibility } from '../../../src/commands/schedules/eligibility';
import { greedyPlan } from '../../../src/commands/schedules/greedyPlan';
import { generateInstance } from '../../../bench/schedule/instance';

// 0.09° of latitude is 10.0 km, 0.009° is 1.0 km (after rounding to 0.1 km).
const S1 = { id: '00000000-0000-4000-8000-0000000000a1', at: { lat: 28, lng: 77 } };
const S2 = { id: '00000000-0000-4000-8000-0000000000b2', at: { lat: 28.09, lng: 77 } };
const DAY = '2027-03-08'; // a Monday

let seq = 0;
const slot = (over: Partial<PlanSlot> & { start: number; end: number }): PlanSlot => ({
  classId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  societyId: S1.id,
  templateId: '00000000-0000-4000-8000-000000000000',
  name: 'Morning flow',
  classType: 'yoga',
  date: DAY,
  maxMembers: 20,
  societyMaxMembersPerEvent: 20,
  preferredTrainerId: null,
  societyLocation: S1.at,
  ...over,
});

const trainer = (id: string, over: Partial<PlanTrainer> = {}): PlanTrainer => ({
  trainerId: id,
  specialization: ['yoga'],
  availability: null,
  maxClassesPerDay: 3,
  home: S1.at,
  booked: [],
  ...over,
});
const A = 'aaaaaaaa-0000-4000-8000-000000000000';
const B = 'bbbbbbbb-0000-4000-8000-000000000000';
const C = 'cccccccc-0000-4000-8000-000000000000';
const tenKmAway = { lat: 28.09, lng: 77 };
const oneKmAway = { lat: 28.009, lng: 77 };

const solve = (problem: PlanningProblem) => solveWeekPlan(problem, { timeLimitSeconds: 10 });
const who = (plan: { assignment: Assignment }, s: PlanSlot) => plan.assignment.get(s.classId);

describe('weekly plan: small instances with a known optimum', () => {
  it('gives a class to the nearest trainer who teaches it (cost: 0 km + first class 2)', async () => {
    const yoga = slot({ start: 540, end: 600 });
    const plan = await solve({ slots: [yoga], trainers: [trainer(A), trainer(B, { home: tenKmAway })] });
    expect(who(plan, yoga)).toBe(A);
    expect(plan.cost.total).toBe(2);
    expect(plan.solver).toMatchObject({ method: 'mip', status: 'optimal' });
  });

  it('only a trainer with the specialization may teach, however far (10 km + 2)', async () => {
    const dance = slot({ start: 540, end: 600, classType: 'Dance' });
    const plan = await solve({
      slots: [dance],
      trainers: [trainer(A), trainer(B, { home: tenKmAway, specialization: ['dance'] })],
    });
    expect(who(plan, dance)).toBe(B);
    expect(plan.cost.total).toBe(12);
  });

  it('honours a preferred trainer over a 10 km detour, and gives way when they are not available', async () => {
    const preferB = slot({ start: 540, end: 600, preferredTrainerId: B });
    const far = trainer(B, { home: tenKmAway });
    expect(who(await solve({ slots: [preferB], trainers: [trainer(A), far] }), preferB)).toBe(B);

    const awayThatDay = trainer(B, {
      home: tenKmAway,
      availability: { weekly: [], slots: [], unavailable: [DAY] },
    });
    const plan = await solve({ slots: [preferB], trainers: [trainer(A), awayThatDay] });
    expect(who(plan, preferB)).toBe(A);
    expect(plan.cost).toMatchObject({ preferencesMissed: 1, total: 32 });
  });

  it('balances load: two classes go to two trainers when the second is only 1 km further (5 < 8)', async () => {
    const first = slot({ start: 540, end: 600 });
    const second = slot({ start: 660, end: 720 });
    const plan = await solve({
      slots: [first, second],
      trainers: [trainer(A), trainer(C, { home: oneKmAway })],
    });
    expect(new Set([who(plan, first), who(plan, second)])).toEqual(new Set([A, C]));
    expect(plan.cost).toMatchObject({ travelKm: 1, balance: 4, total: 5, maxLoad: 1 });
  });

  it('counts travel between societies: 10 km is 45 minutes (rounded up to 5), so 10:30 clashes and 10:45 does not', async () => {
    const atHome = slot({ start: 540, end: 600 });
    const tooSoon = slot({ start: 630, end: 690, societyId: S2.id, societyLocation: S2.at });
    const clashing = await solve({ slots: [atHome, tooSoon], trainers: [trainer(A)] });
    expect(who(clashing, atHome)).toBe(A);
    expect(clashing.unstaffed.get(tooSoon.classId)).toBe('trainers-fully-booked');
    expect(clashing.cost.total).toBe(10_002);

    const inTime = slot({ start: 645, end: 705, societyId: S2.id, societyLocation: S2.at });
    const both = await solve({ slots: [atHome, inTime], trainers: [trainer(A)] });
    expect(both.assignment.size).toBe(2);
    expect(both.cost.total).toBe(0 + 10 + 2 + 6);
  });

  it('never gives a trainer more classes a day than they take, counting classes they already hold', async () => {
    const morning = slot({ start: 540, end: 600 });
    const evening = slot({ start: 1080, end: 1140 });
    const held = {
      classId: 'held',
      societyId: S1.id,
      date: DAY,
      start: 720,
      end: 780,
      societyLocation: S1.at,
    };
    const plan = await solve({
      slots: [morning, evening],
      trainers: [trainer(A, { maxClassesPerDay: 2, booked: [held] })],
    });
    expect(plan.assignment.size).toBe(1);
    expect([...plan.unstaffed.values()]).toEqual(['trainers-fully-booked']);
  });

  it('says why a class cannot be staffed', async () => {
    const pilates = slot({ start: 540, end: 600, classType: 'pilates' });
    const late = slot({ start: 1260, end: 1320 });
    const plan = await solve({
      slots: [pilates, late],
      trainers: [
        trainer(A, {
          availability: { weekly: [{ weekday: 'mon', start: 480, end: 1200 }], slots: [], unavailable: [] },
        }),
      ],
    });
    expect(plan.unstaffed.get(pilates.classId)).toBe('no-trainer-teaches-class-type');
    expect(plan.unstaffed.get(late.classId)).toBe('no-trainer-available');
  });

  it('finds what a time-ordered greedy misses: the trainer who teaches both goes where only they can', async () => {
    const yoga = slot({ classId: '00000000-0000-4000-8000-00000000000a', start: 540, end: 600 });
    const dance = slot({
      classId: '00000000-0000-4000-8000-00000000000b',
      start: 540,
      end: 600,
      classType: 'dance',
    });
    const problem = {
      slots: [yoga, dance],
      trainers: [trainer(A, { specialization: ['yoga', 'dance'] }), trainer(B, { home: tenKmAway })],
    };
    const greedy = greedyPlan(problem, eligibility(problem));
    expect(planCost(problem, greedy).unstaffed).toBe(1);

    const plan = await solve(problem);
    expect(who(plan, dance)).toBe(A);
    expect(who(plan, yoga)).toBe(B);
    expect(plan.cost.total).toBe(10 + 2 + 2);
  });
});

/** Every way to staff a tiny week (each slot: one of the trainers, or nobody), kept if sound. */
const bruteForceOptimum = (problem: PlanningProblem): number => {
  let best = Infinity;
  const choose = (i: number, picked: Map<string, string>) => {
    if (i === problem.slots.length) {
      if (hardRuleViolations(problem, picked).length === 0)
        best = Math.min(best, planCost(problem, picked).total);
      return;
    }
    choose(i + 1, picked);
    for (const t of problem.trainers) {
      const next = new Map(picked).set(problem.slots[i]!.classId, t.trainerId);
      choose(i + 1, next);
    }
  };
  choose(0, new Map());
  return best;
};

describe('weekly plan: optimal on every tiny instance (checked by enumeration)', () => {
  const society = fc.constantFrom(
    { id: S1.id, at: S1.at },
    { id: S2.id, at: S2.at },
    { id: '00000000-0000-4000-8000-0000000000c3', at: null },
  );
  const slotArb = fc.record({
    society,
    type: fc.constantFrom('yoga', 'dance'),
    day: fc.constantFrom('2027-03-08', '2027-03-09'),
    start: fc.integer({ min: 16, max: 40 }).map((q) => q * 30),
    length: fc.constantFrom(45, 60, 90),
    prefer: fc.option(fc.constantFrom(A, B, C), { nil: null }),
    seats: fc.integer({ min: 10, max: 20 }),
  });
  const trainerArb = (id: string) =>
    fc.record({
      trainerId: fc.constant(id),
      specialization: fc.subarray(['yoga', 'dance'], { minLength: 1 }),
      maxClassesPerDay: fc.integer({ min: 1, max: 3 }),
      home: fc.constantFrom(S1.at, S2.at, oneKmAway),
      availableFrom: fc.option(
        fc.integer({ min: 8, max: 14 }).map((h) => h * 60),
        { nil: null },
      ),
    });

  it('matches the optimum found by trying every assignment', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(slotArb, { minLength: 1, maxLength: 5 }),
        fc.tuple(trainerArb(A), trainerArb(B), trainerArb(C)),
        async (rawSlots, rawTrainers) => {
          const problem: PlanningProblem = {
            slots: rawSlots.map((s, i) => ({
              ...slot({ start: s.start, end: s.start + s.length }),
              classId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
              societyId: s.society.id,
              societyLocation: s.society.at,
              classType: s.type,
              date: s.day,
              preferredTrainerId: s.prefer,
              maxMembers: s.seats,
            })),
            trainers: rawTrainers.map((t) => ({
              trainerId: t.trainerId,
              specialization: t.specialization,
              maxClassesPerDay: t.maxClassesPerDay,
              home: t.home,
              booked: [],
              availability:
                t.availableFrom === null
                  ? null
                  : {
                      weekly: (['mon', 'tue'] as const).map((weekday) => ({
                        weekday,
                        start: t.availableFrom!,
                        end: 1440,
                      })),
                      slots: [],
                      unavailable: [],
                    },
            })),
          };
          const plan = await solve(problem);
          expect(hardRuleViolations(problem, plan.assignment)).toEqual([]);
          expect(plan.cost.total).toBeCloseTo(bruteForceOptimum(problem), 6);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('weekly plan: under a time limit', () => {
  it('keeps the best plan found (the greedy start at worst), sound, and says it was cut short', async () => {
    const problem = generateInstance({ societies: 40, trainers: 60, slots: 400, seed: 1 });
    const greedy = planCost(problem, greedyPlan(problem, eligibility(problem)));
    const plan = await solveWeekPlan(problem, { timeLimitSeconds: 0.001 });
    expect(plan.solver).toMatchObject({ method: 'mip', status: 'time-limit' });
    expect(hardRuleViolations(problem, plan.assignment)).toEqual([]);
    expect(plan.cost.total).toBeLessThanOrEqual(greedy.total);
  });
});
