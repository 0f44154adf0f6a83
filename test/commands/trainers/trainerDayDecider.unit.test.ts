import {
  trainerDayDecider,
  travelBufferMinutes,
  UNKNOWN_DISTANCE_BUFFER_MINUTES,
  type TrainerDayCommand,
} from '../../../src/commands/trainers/trainerDayDecider';
import type { TrainerDayEvent } from '../../../src/events/trainers/trainerEvents';
import { deciderSpec } from '../../support/deciderSpec';

const spec = deciderSpec(trainerDayDecider);
const trainerId = '11111111-1111-4111-8111-111111111111';
const date = '2026-03-02';
// Two societies in Noida about 3.3 km apart (0.03° of latitude), and one 30 km away.
const societyA = { id: 'society-a', location: { lat: 28.6, lng: 77.3 } };
const societyB = { id: 'society-b', location: { lat: 28.63, lng: 77.3 } };
const societyFar = { id: 'society-far', location: { lat: 28.87, lng: 77.3 } };
type Society = typeof societyA;

const at = (hh: number, mm = 0) => hh * 60 + mm;

const claim = (
  classId: string,
  society: Society,
  start: number,
  end: number,
  max = 3,
): TrainerDayCommand => ({
  type: 'ClaimTrainerSlot',
  trainerId,
  date,
  classId,
  societyId: society.id,
  start,
  end,
  societyLocation: society.location,
  maxClassesPerDay: max,
});

const claimed = (classId: string, society: Society, start: number, end: number): TrainerDayEvent => ({
  type: 'TrainerSlotClaimed',
  data: { trainerId, date, classId, societyId: society.id, start, end, societyLocation: society.location },
});

const released = (classId: string): TrainerDayEvent => ({
  type: 'TrainerSlotReleased',
  data: { trainerId, date, classId },
});

describe('travelBufferMinutes', () => {
  it('is the changeover alone, rounded up to 5, for two points in one place', () => {
    expect(travelBufferMinutes(societyA.location, societyA.location)).toBe(10);
  });

  it('adds the haversine distance at 20 km/h, rounded up to 5 minutes', () => {
    // 0.03° of latitude ≈ 3.34 km → 10.0 min of driving + 10 = 20.0… → 25.
    expect(travelBufferMinutes(societyA.location, societyB.location)).toBe(25);
    // 0.27° ≈ 30.0 km → 90.1 min + 10 → 100.1 → 105.
    expect(travelBufferMinutes(societyA.location, societyFar.location)).toBe(105);
  });

  it('does not add 5 minutes for float noise on an exact multiple', () => {
    // 5/3 km is exactly 5 minutes at 20 km/h: 5 + 10 = 15, not 20.
    const kmPerDegree = (6371 * Math.PI) / 180;
    const b = { lat: 28.6 + 5 / 3 / kmPerDegree, lng: 77.3 };
    expect(travelBufferMinutes(societyA.location, b)).toBe(15);
  });

  it('is symmetric', () => {
    expect(travelBufferMinutes(societyFar.location, societyB.location)).toBe(
      travelBufferMinutes(societyB.location, societyFar.location),
    );
  });

  it('assumes a conservative hour when a society has no coordinates', () => {
    expect(travelBufferMinutes(null, societyA.location)).toBe(UNKNOWN_DISTANCE_BUFFER_MINUTES);
  });
});

describe('trainer day: claiming a slot', () => {
  it('claims a free day', () => {
    spec
      .given([])
      .when(claim('c1', societyA, at(7), at(8)))
      .then([claimed('c1', societyA, at(7), at(8))]);
  });

  it('takes classes up to max_classes_per_day', () => {
    spec
      .given([claimed('c1', societyA, at(6), at(7)), claimed('c2', societyA, at(8), at(9))])
      .when(claim('c3', societyA, at(10), at(11)))
      .then([claimed('c3', societyA, at(10), at(11))]);
  });

  it('refuses a class beyond max_classes_per_day: trainer-daily-limit', () => {
    spec
      .given([
        claimed('c1', societyA, at(6), at(7)),
        claimed('c2', societyA, at(8), at(9)),
        claimed('c3', societyA, at(10), at(11)),
      ])
      .when(claim('c4', societyA, at(17), at(18)))
      .thenRefused('trainer-daily-limit', 422);
  });

  it('honours a lower or higher limit from the profile', () => {
    spec
      .given([claimed('c1', societyA, at(6), at(7))])
      .when(claim('c2', societyA, at(8), at(9), 1))
      .thenRefused('trainer-daily-limit', 422);
    spec
      .given([
        claimed('c1', societyA, at(6), at(7)),
        claimed('c2', societyA, at(8), at(9)),
        claimed('c3', societyA, at(10), at(11)),
      ])
      .when(claim('c4', societyA, at(17), at(18), 4))
      .then([claimed('c4', societyA, at(17), at(18))]);
  });

  it('refuses an overlapping class: trainer-overlap', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when(claim('c2', societyA, at(7, 30), at(8, 30)))
      .thenRefused('trainer-overlap', 422);
  });

  it('refuses a class that contains another', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when(claim('c2', societyA, at(6), at(9)))
      .thenRefused('trainer-overlap', 422);
  });

  it('allows back-to-back classes in the same society (no travel buffer)', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when(claim('c2', societyA, at(8), at(9)))
      .then([claimed('c2', societyA, at(8), at(9))]);
  });

  it('refuses a class in another society closer than the travel buffer', () => {
    // A → B needs 25 minutes.
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when(claim('c2', societyB, at(8, 20), at(9)))
      .thenRefused('trainer-overlap', 422);
    spec
      .given([claimed('c1', societyA, at(9), at(10))])
      .when(claim('c2', societyB, at(8), at(8, 40)))
      .thenRefused('trainer-overlap', 422);
  });

  it('allows a class in another society exactly the travel buffer later', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when(claim('c2', societyB, at(8, 25), at(9)))
      .then([claimed('c2', societyB, at(8, 25), at(9))]);
  });

  it('checks the limit before overlaps', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when(claim('c2', societyA, at(7), at(8), 1))
      .thenRefused('trainer-daily-limit', 422);
  });

  it('is idempotent for the same class and slot', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when(claim('c1', societyA, at(7), at(8)))
      .then([]);
  });

  it('is idempotent for the same class even at the daily limit', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when(claim('c1', societyA, at(7), at(8), 1))
      .then([]);
  });

  it('refuses the same class at a different time until it is released', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when(claim('c1', societyA, at(9), at(10)))
      .thenRefused('trainer-slot-claimed-differently', 409);
  });

  it('refuses a slot that ends before it starts, or leaves the day', () => {
    spec
      .given([])
      .when(claim('c1', societyA, at(8), at(7)))
      .thenRefused('invalid-slot', 400);
    spec
      .given([])
      .when(claim('c1', societyA, at(23), 1500))
      .thenRefused('invalid-slot', 400);
  });
});

describe('trainer day: releasing a slot', () => {
  it('frees the slot for another class', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8))])
      .when({ type: 'ReleaseTrainerSlot', trainerId, date, classId: 'c1' })
      .then([released('c1')]);
    spec
      .given([claimed('c1', societyA, at(7), at(8)), released('c1')])
      .when(claim('c2', societyA, at(7), at(8), 1))
      .then([claimed('c2', societyA, at(7), at(8))]);
  });

  it('does nothing for a class that holds no slot', () => {
    spec
      .given([claimed('c1', societyA, at(7), at(8)), released('c1')])
      .when({ type: 'ReleaseTrainerSlot', trainerId, date, classId: 'c1' })
      .then([]);
  });
});
