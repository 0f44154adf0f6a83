import {
  rankTrainerSuggestions,
  type CandidateTrainer,
  type ClassToStaff,
  type HeldClass,
  type SuggestionFacts,
} from '../../../src/commands/trainers/trainerSuggestions';

const at = (hh: number, mm = 0) => hh * 60 + mm;
const societyX = 'society-x';
const societyFar = 'society-far';
// Society X at 28.6, 77.3; 0.03° of latitude is ~3.3 km, 0.1° ~11.1 km.
const xLocation = { lat: 28.6, lng: 77.3 };

const yogaClass: ClassToStaff = {
  id: 'class-1',
  societyId: societyX,
  classType: 'Yoga',
  date: '2030-04-01',
  start: at(10),
  end: at(11),
  timezone: 'Asia/Kolkata',
  trainerId: null,
  societyLocation: xLocation,
};

const trainer = (
  id: string,
  overrides: Partial<CandidateTrainer> & { lat?: number | null } = {},
): CandidateTrainer & { name: string } => {
  const { lat = 28.6, ...rest } = overrides;
  return {
    id,
    name: id,
    specialization: ['yoga'],
    availability: null,
    max_classes_per_day: 4,
    location: { latitude: lat, longitude: lat === null ? null : 77.3 },
    ...rest,
  };
};

const held = (trainerId: string, start: number, end: number, extra: Partial<HeldClass> = {}): HeldClass => ({
  trainerId,
  classId: `held-${trainerId}-${start}`,
  societyId: societyX,
  start,
  end,
  startsAt: null,
  endsAt: null,
  ...extra,
});

const rank = (
  trainers: readonly (CandidateTrainer & { name: string })[],
  heldThatDay: readonly HeldClass[] = [],
  overrides: Partial<SuggestionFacts<CandidateTrainer>> = {},
) =>
  rankTrainerSuggestions({
    classToStaff: yogaClass,
    trainers,
    heldThatDay,
    societyLocations: new Map([
      [societyX, xLocation],
      [societyFar, { lat: 29.6, lng: 77.3 }],
    ]),
    societyZones: new Map([
      [societyX, 'Asia/Kolkata'],
      [societyFar, 'Asia/Kolkata'],
    ]),
    ...overrides,
  }).map((s) => ({ id: s.trainer.id, km: s.distanceKm, classes: s.classesThatDay }));

describe('rankTrainerSuggestions', () => {
  it('puts the nearest first, with distances to 0.1 km', () => {
    const ranked = rank([trainer('far', { lat: 28.7 }), trainer('near', { lat: 28.63 }), trainer('here')]);
    expect(ranked.map((s) => s.id)).toEqual(['here', 'near', 'far']);
    expect(ranked.map((s) => s.km)).toEqual([0, 3.3, 11.1]);
  });

  it('breaks a distance tie by fewer classes that day', () => {
    const ranked = rank([trainer('busier'), trainer('idle')], [held('busier', at(6), at(7))]);
    expect(ranked).toEqual([
      { id: 'idle', km: 0, classes: 0 },
      { id: 'busier', km: 0, classes: 1 },
    ]);
  });

  it('ranks a trainer with no location, or a class whose society has none, after every known distance', () => {
    expect(rank([trainer('nowhere', { lat: null }), trainer('far', { lat: 28.7 })])).toEqual([
      { id: 'far', km: 11.1, classes: 0 },
      { id: 'nowhere', km: null, classes: 0 },
    ]);
    const unplaced = rankTrainerSuggestions({
      classToStaff: { ...yogaClass, societyLocation: null },
      trainers: [trainer('a')],
      heldThatDay: [],
      societyLocations: new Map(),
      societyZones: new Map(),
    });
    expect(unplaced.map((s) => s.distanceKm)).toEqual([null]);
  });

  it('leaves out the trainer who teaches the class already', () => {
    const ranked = rankTrainerSuggestions({
      classToStaff: { ...yogaClass, trainerId: 'current' },
      trainers: [trainer('current'), trainer('other')],
      heldThatDay: [held('current', yogaClass.start, yogaClass.end, { classId: yogaClass.id })],
      societyLocations: new Map([[societyX, xLocation]]),
      societyZones: new Map([[societyX, 'Asia/Kolkata']]),
    });
    expect(ranked.map((s) => s.trainer.id)).toEqual(['other']);
  });

  it('leaves out who does not teach the class type (case-insensitive) or is not available then', () => {
    const ranked = rank([
      trainer('dancer', { specialization: ['dance'] }),
      trainer('YOGI', { specialization: ['YOGA'] }),
      trainer('mornings', {
        availability: { weekly: [{ weekday: 'mon', start: at(6), end: at(9) }], slots: [], unavailable: [] },
      }),
    ]);
    expect(ranked.map((s) => s.id)).toEqual(['YOGI']);
  });

  it('leaves out a trainer at their classes-per-day limit', () => {
    const full = trainer('full', { max_classes_per_day: 1 });
    const ranked = rank([full, trainer('free')], [held('full', at(6), at(7))]);
    expect(ranked.map((s) => s.id)).toEqual(['free']);
  });

  it('does not count the class itself among the day’s classes (it is being re-staffed)', () => {
    const ranked = rank(
      [trainer('a', { max_classes_per_day: 1 })],
      [held('a', yogaClass.start, yogaClass.end, { classId: yogaClass.id })],
    );
    expect(ranked).toEqual([{ id: 'a', km: 0, classes: 0 }]);
  });

  it('leaves out a trainer whose class that day overlaps, or leaves no time to travel', () => {
    const ranked = rank(
      [trainer('overlaps'), trainer('same-society-back-to-back'), trainer('too-far-to-travel')],
      [
        held('overlaps', at(10, 30), at(11, 30)),
        held('same-society-back-to-back', at(9), at(10)),
        // ~111 km away: over five hours on the road, and the class before ends at 09:00.
        held('too-far-to-travel', at(8), at(9), { societyId: societyFar }),
      ],
    );
    expect(ranked.map((s) => s.id)).toEqual(['same-society-back-to-back']);
  });

  it('compares a held class in absolute time: its recorded instants, else its society’s zone', () => {
    // 10:00 in Kolkata is 04:30 UTC. A class held 04:00–04:30 UTC in the same society ends as ours starts.
    const recorded = held('recorded', at(1), at(2), {
      startsAt: '2030-04-01T04:00:00Z',
      endsAt: '2030-04-01T04:30:00Z',
    });
    // Recorded 10:30–11:30 UTC: in Kolkata that is 16:00, no clash whatever its local minutes say.
    const elsewhere = held('elsewhere', at(10), at(11), {
      startsAt: '2030-04-01T10:30:00Z',
      endsAt: '2030-04-01T11:30:00Z',
    });
    // No instants, society in London: 05:00–06:00 London is 04:00–05:00 UTC, over ours.
    const zoned = held('zoned', at(5), at(6), { societyId: 'society-london' });
    const ranked = rank(
      [trainer('recorded'), trainer('elsewhere'), trainer('zoned')],
      [recorded, elsewhere, zoned],
      {
        societyLocations: new Map([
          [societyX, xLocation],
          ['society-london', xLocation],
        ]),
        societyZones: new Map([
          [societyX, 'Asia/Kolkata'],
          ['society-london', 'Europe/London'],
        ]),
      },
    );
    expect(ranked.map((s) => s.id)).toEqual(['recorded', 'elsewhere']);
  });
});
