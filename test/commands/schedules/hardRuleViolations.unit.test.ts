import { hardRuleViolations } from '../../../src/commands/schedules/hardRuleViolations';
import type { PlanSlot, PlanTrainer, PlanningProblem } from '../../../src/commands/schedules/planningProblem';

const S1 = '00000000-0000-4000-8000-0000000000a1';
const S2 = '00000000-0000-4000-8000-0000000000b2';
const T = 'aaaaaaaa-0000-4000-8000-000000000000';
const slot = (classId: string, over: Partial<PlanSlot> = {}): PlanSlot => ({
  classId,
  societyId: S1,
  templateId: classId,
  name: 'x',
  classType: 'yoga',
  date: '2030-03-04', // a Monday
  start: 540,
  end: 600,
  maxMembers: 20,
  societyMaxMembersPerEvent: 20,
  preferredTrainerId: null,
  societyLocation: { lat: 28, lng: 77 },
  ...over,
});
const trainer = (over: Partial<PlanTrainer> = {}): PlanTrainer => ({
  trainerId: T,
  specialization: ['Yoga'],
  availability: null,
  maxClassesPerDay: 3,
  home: null,
  booked: [],
  ...over,
});
const check = (slots: PlanSlot[], t: PlanTrainer = trainer()) =>
  hardRuleViolations(
    { slots, trainers: [t] } satisfies PlanningProblem,
    new Map(slots.map((s) => [s.classId, T])),
  );

describe('independent hard-rule validator', () => {
  it('accepts a sound plan', () => {
    expect(check([slot('a'), slot('b', { start: 600, end: 660 })])).toEqual([]);
  });

  it('flags a class type the trainer does not teach', () => {
    expect(check([slot('a', { classType: 'dance' })])).toEqual([expect.stringContaining('does not teach')]);
  });

  it('flags a class outside availability, and accepts one spanning two touching windows', () => {
    const availability = {
      weekly: [
        { weekday: 'mon' as const, start: 480, end: 570 },
        { weekday: 'mon' as const, start: 570, end: 620 },
      ],
      slots: [],
      unavailable: [],
    };
    expect(check([slot('a')], trainer({ availability }))).toEqual([]);
    expect(check([slot('a', { end: 630 })], trainer({ availability }))).toEqual([
      expect.stringContaining('availability'),
    ]);
    expect(
      check([slot('a')], trainer({ availability: { ...availability, unavailable: ['2030-03-04'] } })),
    ).toEqual([expect.stringContaining('availability')]);
  });

  it('flags the daily limit, counting classes already held', () => {
    const held = {
      classId: 'h',
      societyId: S1,
      date: '2030-03-04',
      start: 1000,
      end: 1060,
      societyLocation: null,
    };
    expect(check([slot('a')], trainer({ maxClassesPerDay: 1, booked: [held] }))).toEqual([
      expect.stringContaining('limit 1'),
    ]);
  });

  it('flags overlaps, with travel between societies 10 km apart (40 min, rounded up to 45)', () => {
    const far = { societyId: S2, societyLocation: { lat: 28.09, lng: 77 } };
    expect(check([slot('a'), slot('b', { start: 630, end: 690, ...far })])).toEqual([
      expect.stringContaining('overlap'),
    ]);
    expect(check([slot('a'), slot('b', { start: 645, end: 705, ...far })])).toEqual([]);
  });

  it('flags seats above the society limit', () => {
    expect(check([slot('a', { maxMembers: 21 })])).toEqual([expect.stringContaining('society allows 20')]);
  });
});
