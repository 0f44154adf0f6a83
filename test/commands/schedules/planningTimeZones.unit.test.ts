import fc from 'fast-check';
import { eligibility } from '../../../src/commands/schedules/eligibility';
import { greedyPlan } from '../../../src/commands/schedules/greedyPlan';
import { hardRuleViolations } from '../../../src/commands/schedules/hardRuleViolations';
import type {
  Assignment,
  BookedSlot,
  PlanSlot,
  PlanTrainer,
  PlanningProblem,
} from '../../../src/commands/schedules/planningProblem';
import { solveWeekPlan } from '../../../src/commands/schedules/solveWeekPlan';
import { classesClash, instantsOf } from '../../../src/commands/schedules/trainerClash';
import { isRefusal } from '../../../src/commands/handling/decider';
import {
  trainerDayDecider,
  type GeoPoint,
  type TrainerDayCommand,
} from '../../../src/commands/trainers/trainerDayDecider';

// Kolkata is UTC+05:30, Dubai UTC+04:00: on one date the same wall clock is 90 minutes apart.
// Neither has coordinates, so the buffer between them is the conservative unknown-distance hour.
const KOLKATA = { id: '00000000-0000-4000-8000-0000000000a1', at: null, zone: 'Asia/Kolkata' };
const DUBAI = { id: '00000000-0000-4000-8000-0000000000d2', at: null, zone: 'Asia/Dubai' };
const DAY = '2027-03-08'; // a Monday
const A = 'aaaaaaaa-0000-4000-8000-000000000000';

/** An absolute span, written by hand in UTC (not computed by the code under test). */
const utc = (from: string, to: string) => ({
  startsAt: Date.parse(`${DAY}T${from}:00Z`),
  endsAt: Date.parse(`${DAY}T${to}:00Z`),
});
const hhmm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

let seq = 0;
const slot = (
  society: typeof KOLKATA,
  local: [string, string],
  instants: PlanSlot['instants'],
  over: Partial<PlanSlot> = {},
): PlanSlot => ({
  classId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  societyId: society.id,
  templateId: '00000000-0000-4000-8000-000000000000',
  name: 'Morning flow',
  classType: 'yoga',
  date: DAY,
  start: hhmm(local[0]),
  end: hhmm(local[1]),
  instants,
  maxMembers: 20,
  societyMaxMembersPerEvent: 20,
  preferredTrainerId: null,
  societyLocation: society.at,
  ...over,
});
const trainer = (over: Partial<PlanTrainer> = {}): PlanTrainer => ({
  trainerId: A,
  specialization: ['yoga'],
  availability: null,
  maxClassesPerDay: 3,
  home: null,
  booked: [],
  ...over,
});
const booked = (s: PlanSlot): BookedSlot => ({
  classId: `held-${s.classId}`,
  societyId: s.societyId,
  date: s.date,
  start: s.start,
  end: s.end,
  societyLocation: s.societyLocation,
  instants: s.instants,
});

// Local clock says clash, absolute time says apart: Kolkata 09:00–10:00 is 03:30–04:30Z, Dubai
// 09:45–10:45 is 05:45–06:45Z, 75 minutes later (more than the hour of travel).
const kolkataNine = () => slot(KOLKATA, ['09:00', '10:00'], utc('03:30', '04:30'));
const dubaiQuarterToTen = () => slot(DUBAI, ['09:45', '10:45'], utc('05:45', '06:45'));
// Local clock says apart (75 minutes, more than the hour), absolute time says overlap: Dubai
// 08:00–09:00 is 04:00–05:00Z, Kolkata 10:15–11:15 is 04:45–05:45Z.
const dubaiEight = () => slot(DUBAI, ['08:00', '09:00'], utc('04:00', '05:00'));
const kolkataQuarterPastTen = () => slot(KOLKATA, ['10:15', '11:15'], utc('04:45', '05:45'));

const greedy = (problem: PlanningProblem) => greedyPlan(problem, eligibility(problem));
const solve = (problem: PlanningProblem) => solveWeekPlan(problem, { timeLimitSeconds: 10 });
const staffedBy = (assignment: Assignment, slots: PlanSlot[]) => slots.map((s) => assignment.get(s.classId));

describe('planning a trainer across time zones, as the trainer-day claim decides', () => {
  it('the hand-written instants are what the societies’ zones make of the local times', () => {
    for (const [s, zone] of [
      [kolkataNine(), KOLKATA.zone],
      [dubaiQuarterToTen(), DUBAI.zone],
      [dubaiEight(), DUBAI.zone],
      [kolkataQuarterPastTen(), KOLKATA.zone],
    ] as const)
      expect(instantsOf(s.date, s.start, s.end, zone)).toEqual(s.instants);
    expect(instantsOf(DAY, 540, 600, 'Not/AZone')).toBeNull();
  });

  it('gives one trainer two classes that overlap by wall clock but are 75 minutes apart (greedy and MIP)', async () => {
    const slots = [kolkataNine(), dubaiQuarterToTen()];
    const problem: PlanningProblem = { slots, trainers: [trainer()] };
    expect(staffedBy(greedy(problem), slots)).toEqual([A, A]);
    const plan = await solve(problem);
    expect(plan.solver).toMatchObject({ method: 'mip', status: 'optimal' });
    expect(staffedBy(plan.assignment, slots)).toEqual([A, A]);
    expect(hardRuleViolations(problem, plan.assignment)).toEqual([]);
  });

  it('never gives one trainer two classes apart by wall clock that overlap in absolute time (greedy and MIP)', async () => {
    const slots = [dubaiEight(), kolkataQuarterPastTen()];
    const problem: PlanningProblem = { slots, trainers: [trainer()] };
    expect(greedy(problem).size).toBe(1);
    const plan = await solve(problem);
    // The MIP's own plan (not a fallback to greedy after the validator rejected it).
    expect(plan.solver).toMatchObject({ method: 'mip', status: 'optimal' });
    expect(plan.assignment.size).toBe(1);
    expect([...plan.unstaffed.values()]).toEqual(['trainers-fully-booked']);
    expect(hardRuleViolations(problem, plan.assignment)).toEqual([]);
  });

  it('weighs classes the trainer already holds in absolute time too', async () => {
    // Holding Dubai 09:45 (05:45Z), the trainer is free for Kolkata 09:00 (ends 04:30Z)...
    const free = kolkataNine();
    const p1: PlanningProblem = {
      slots: [free],
      trainers: [trainer({ booked: [booked(dubaiQuarterToTen())] })],
    };
    expect(eligibility(p1).candidates).toEqual([[0]]);
    expect(staffedBy((await solve(p1)).assignment, [free])).toEqual([A]);
    // ...but holding Dubai 08:00 (until 05:00Z), not for Kolkata 10:15 (04:45Z).
    const taken = kolkataQuarterPastTen();
    const p2: PlanningProblem = { slots: [taken], trainers: [trainer({ booked: [booked(dubaiEight())] })] };
    expect(eligibility(p2)).toEqual({ candidates: [[]], blocked: ['trainers-fully-booked'] });
    expect((await solve(p2)).assignment.size).toBe(0);
  });

  it('compares by local minutes when either side does not know its instants (as a claim recorded before them)', () => {
    expect(classesClash(kolkataNine(), { ...dubaiQuarterToTen(), instants: null })).toBe(true);
    expect(classesClash({ ...dubaiEight(), instants: undefined }, kolkataQuarterPastTen())).toBe(false);
    expect(classesClash(kolkataNine(), dubaiQuarterToTen())).toBe(false);
    expect(classesClash(dubaiEight(), kolkataQuarterPastTen())).toBe(true);
  });
});

describe('classesClash is the trainer-day claim’s rule', () => {
  interface Society {
    readonly id: string;
    readonly location: GeoPoint | null;
    readonly zone: string;
  }
  const societies: Society[] = [
    { id: 'kolkata', location: null, zone: 'Asia/Kolkata' },
    { id: 'dubai', location: null, zone: 'Asia/Dubai' },
    // Raxaul (India) and Birgunj (Nepal, UTC+05:45) face each other across the border: 25 minutes.
    { id: 'raxaul', location: { lat: 26.98, lng: 84.85 }, zone: 'Asia/Kolkata' },
    { id: 'birgunj', location: { lat: 27.01, lng: 84.85 }, zone: 'Asia/Kathmandu' },
  ];
  const placed = fc.record({
    society: fc.constantFrom(...societies),
    start: fc.integer({ min: 0, max: 90 }).map((q) => q * 15),
    length: fc.constantFrom(30, 45, 60, 90),
    knowsZone: fc.boolean(),
  });
  const date = '2030-03-04';

  it('refuses a second claim exactly when planning says the two clash', () => {
    fc.assert(
      fc.property(placed, placed, (p, q) => {
        const claim = (
          classId: string,
          c: typeof p,
        ): Extract<TrainerDayCommand, { type: 'ClaimTrainerSlot' }> => ({
          type: 'ClaimTrainerSlot',
          trainerId: A,
          date,
          classId,
          societyId: c.society.id,
          start: c.start,
          end: c.start + c.length,
          societyLocation: c.society.location,
          ...(c.knowsZone ? { timezone: c.society.zone } : {}),
          maxClassesPerDay: 3,
        });
        const ctx = { now: new Date('2030-01-01T00:00:00Z'), newId: () => 'id' };
        const first = trainerDayDecider.decide(claim('p', p), trainerDayDecider.initialState(), ctx);
        if (isRefusal(first)) throw new Error(first.type);
        const state = first.reduce(trainerDayDecider.evolve, trainerDayDecider.initialState());
        const second = trainerDayDecider.decide(claim('q', q), state, ctx);
        const asPlanned = (c: typeof p) => ({
          societyId: c.society.id,
          start: c.start,
          end: c.start + c.length,
          societyLocation: c.society.location,
          instants: c.knowsZone ? instantsOf(date, c.start, c.start + c.length, c.society.zone) : null,
        });
        expect(isRefusal(second) ? second.type : 'accepted').toBe(
          classesClash(asPlanned(p), asPlanned(q)) ? 'trainer-overlap' : 'accepted',
        );
      }),
      { numRuns: 500 },
    );
  });
});
