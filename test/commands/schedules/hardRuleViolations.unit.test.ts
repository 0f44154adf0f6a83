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

  describe('across time zones (Kolkata UTC+05:30, Dubai UTC+04:00, no coordinates: an hour of travel)', () => {
    const dubai = { societyId: S2, societyLocation: null };
    const kolkata = { societyLocation: null };
    const utc = (from: string, to: string) => ({
      startsAt: Date.parse(`2030-03-04T${from}:00Z`),
      endsAt: Date.parse(`2030-03-04T${to}:00Z`),
    });

    it('flags classes apart by wall clock that overlap in absolute time', () => {
      // Dubai 08:00–09:00 is 04:00–05:00Z; Kolkata 10:15–11:15 is 04:45–05:45Z.
      const early = slot('a', { ...dubai, start: 480, end: 540, instants: utc('04:00', '05:00') });
      const late = slot('b', { ...kolkata, start: 615, end: 675, instants: utc('04:45', '05:45') });
      expect(check([early, late])).toEqual([expect.stringMatching(/a and b overlap \(travel 60 min\)/)]);
      // The same, the Dubai class already held.
      const held = {
        classId: 'h',
        societyId: S2,
        date: early.date,
        start: early.start,
        end: early.end,
        societyLocation: null,
        instants: early.instants,
      };
      expect(check([late], trainer({ booked: [held] }))).toEqual([expect.stringContaining('overlap')]);
    });

    it('accepts classes overlapping by wall clock that are apart in absolute time', () => {
      // Kolkata 09:00–10:00 is 03:30–04:30Z; Dubai 09:45–10:45 is 05:45–06:45Z.
      const first = slot('a', { ...kolkata, start: 540, end: 600, instants: utc('03:30', '04:30') });
      const second = slot('b', { ...dubai, start: 585, end: 645, instants: utc('05:45', '06:45') });
      expect(check([first, second])).toEqual([]);
      // Without instants on one side it compares local minutes, as the claim does then.
      expect(check([first, { ...second, instants: null }])).toEqual([expect.stringContaining('overlap')]);
    });
  });

  it('flags seats above the society limit', () => {
    expect(check([slot('a', { maxMembers: 21 })])).toEqual([expect.stringContaining('society allows 20')]);
  });
});
