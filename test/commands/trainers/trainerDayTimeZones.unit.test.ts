import {
  trainerDayDecider,
  travelBufferMinutes,
  UNKNOWN_DISTANCE_BUFFER_MINUTES,
  type GeoPoint,
  type TrainerDayCommand,
} from '../../../src/commands/trainers/trainerDayDecider';
import type { TrainerDayEvent, TrainerSlotClaimed } from '../../../src/events/trainers/trainerEvents';
import { deciderSpec } from '../../support/deciderSpec';

const spec = deciderSpec(trainerDayDecider);
const trainerId = '11111111-1111-4111-8111-111111111111';
const date = '2026-03-02';
const at = (hh: number, mm = 0) => hh * 60 + mm;

interface Society {
  readonly id: string;
  readonly location: GeoPoint | null;
  readonly timezone: string;
}
// Kolkata is UTC+05:30, Dubai UTC+04:00: the same wall clock is 90 minutes apart. Neither has
// coordinates here, so the buffer between them is the conservative unknown-distance hour.
const kolkata: Society = { id: 'society-kolkata', location: null, timezone: 'Asia/Kolkata' };
const dubai: Society = { id: 'society-dubai', location: null, timezone: 'Asia/Dubai' };
// Raxaul (India, UTC+05:30) and Birgunj (Nepal, UTC+05:45) face each other across the border,
// about 3.3 km apart: a 25-minute buffer, and clocks 15 minutes apart.
const raxaul: Society = {
  id: 'society-raxaul',
  location: { lat: 26.98, lng: 84.85 },
  timezone: 'Asia/Kolkata',
};
const birgunj: Society = {
  id: 'society-birgunj',
  location: { lat: 27.01, lng: 84.85 },
  timezone: 'Asia/Kathmandu',
};

type ClaimTrainerSlot = Extract<TrainerDayCommand, { type: 'ClaimTrainerSlot' }>;
const claim = (classId: string, society: Society, start: number, end: number): ClaimTrainerSlot => ({
  type: 'ClaimTrainerSlot',
  trainerId,
  date,
  classId,
  societyId: society.id,
  start,
  end,
  societyLocation: society.location,
  timezone: society.timezone,
  maxClassesPerDay: 3,
});

/** A claim as recorded now: with its zone and the instants it meant (UTC, given here by hand). */
const claimed = (
  classId: string,
  society: Society,
  start: number,
  end: number,
  startsAt: string,
  endsAt: string,
): TrainerDayEvent => ({
  type: 'TrainerSlotClaimed',
  data: {
    trainerId,
    date,
    classId,
    societyId: society.id,
    start,
    end,
    societyLocation: society.location,
    timezone: society.timezone,
    startsAt,
    endsAt,
  },
});

/** A claim recorded before claims carried instants: local minutes only. */
const claimedLocally = (
  classId: string,
  society: Society,
  start: number,
  end: number,
): TrainerSlotClaimed => ({
  type: 'TrainerSlotClaimed',
  data: { trainerId, date, classId, societyId: society.id, start, end, societyLocation: society.location },
});

describe('the societies used here', () => {
  it('have the buffers the cases rely on', () => {
    expect(travelBufferMinutes(kolkata.location, dubai.location)).toBe(UNKNOWN_DISTANCE_BUFFER_MINUTES);
    expect(UNKNOWN_DISTANCE_BUFFER_MINUTES).toBe(60);
    expect(travelBufferMinutes(raxaul.location, birgunj.location)).toBe(25);
  });
});

describe('trainer day across time zones: overlaps in absolute time', () => {
  it('records the zone and the instants a claim means', () =>
    spec
      .given([])
      .when(claim('k1', kolkata, at(9), at(10)))
      .then([claimed('k1', kolkata, at(9), at(10), '2026-03-02T03:30:00.000Z', '2026-03-02T04:30:00.000Z')]));

  it('accepts a pair that overlaps in local minutes but not in absolute time', () =>
    // Kolkata 11:00–12:00 is 05:30–06:30Z; Dubai 11:30–12:30 is 07:30–08:30Z: an hour apart,
    // exactly the buffer. By wall clock they would overlap by half an hour.
    spec
      .given([claimed('k1', kolkata, at(11), at(12), '2026-03-02T05:30:00.000Z', '2026-03-02T06:30:00.000Z')])
      .when(claim('d1', dubai, at(11, 30), at(12, 30)))
      .then([
        claimed('d1', dubai, at(11, 30), at(12, 30), '2026-03-02T07:30:00.000Z', '2026-03-02T08:30:00.000Z'),
      ]));

  it('refuses a pair that does not overlap in local minutes but does in absolute time', () =>
    // Dubai 08:00–09:00 is 04:00–05:00Z; Kolkata 10:00–11:00 is 04:30–05:30Z: they overlap.
    // By wall clock the Kolkata class starts exactly the buffer after the Dubai one ends.
    spec
      .given([claimed('d1', dubai, at(8), at(9), '2026-03-02T04:00:00.000Z', '2026-03-02T05:00:00.000Z')])
      .when(claim('k1', kolkata, at(10), at(11)))
      .thenRefused('trainer-overlap', 422));

  it('counts the travel buffer in absolute time across a border (Raxaul and Birgunj)', () => {
    // Birgunj 08:00–09:00 is 02:15–03:15Z. Raxaul 09:10 is 03:40Z: 25 minutes later, the buffer.
    const birgunjMorning = claimed(
      'b1',
      birgunj,
      at(8),
      at(9),
      '2026-03-02T02:15:00.000Z',
      '2026-03-02T03:15:00.000Z',
    );
    spec
      .given([birgunjMorning])
      .when(claim('r1', raxaul, at(9, 10), at(10)))
      .then([
        claimed('r1', raxaul, at(9, 10), at(10), '2026-03-02T03:40:00.000Z', '2026-03-02T04:30:00.000Z'),
      ]);
    // (By wall clock 09:10 is only 10 minutes after 09:00 and would clash.) The other way round:
    // Birgunj 09:30 (03:45Z) after a Raxaul class ending 09:00 (03:30Z) is only 15 minutes later,
    // although 30 minutes by wall clock.
    spec
      .given([claimed('r1', raxaul, at(8), at(9), '2026-03-02T02:30:00.000Z', '2026-03-02T03:30:00.000Z')])
      .when(claim('b2', birgunj, at(9, 30), at(10, 30)))
      .thenRefused('trainer-overlap', 422);
  });

  it('still refuses an overlap in absolute time at the same wall clock in one zone', () =>
    spec
      .given([claimed('k1', kolkata, at(9), at(10), '2026-03-02T03:30:00.000Z', '2026-03-02T04:30:00.000Z')])
      .when(claim('k2', kolkata, at(9, 30), at(10, 30)))
      .thenRefused('trainer-overlap', 422));

  it('refuses an unknown time zone', () =>
    spec
      .given([])
      .when({ ...claim('x1', kolkata, at(9), at(10)), timezone: 'Mars/Olympus_Mons' })
      .thenRefused('invalid-timezone', 400));
});

describe('claims recorded before instants (upcast on read, never rewritten)', () => {
  it('fold, and a pair with such a claim is compared by local minutes', () => {
    // The same pair the absolute comparison accepts: with the Kolkata claim known by local
    // minutes only, 11:00–12:00 and 11:30–12:30 overlap.
    spec
      .given([claimedLocally('k1', kolkata, at(11), at(12))])
      .when(claim('d1', dubai, at(11, 30), at(12, 30)))
      .thenRefused('trainer-overlap', 422);
    spec
      .given([claimedLocally('d1', dubai, at(8), at(9))])
      .when(claim('k1', kolkata, at(10), at(11)))
      .then([claimed('k1', kolkata, at(10), at(11), '2026-03-02T04:30:00.000Z', '2026-03-02T05:30:00.000Z')]);
  });

  it('take their instants from date, minutes and zone when the zone was recorded', () => {
    const zoneOnly: TrainerDayEvent = {
      type: 'TrainerSlotClaimed',
      data: { ...claimedLocally('k1', kolkata, at(11), at(12)).data, timezone: 'Asia/Kolkata' },
    };
    spec
      .given([zoneOnly])
      .when(claim('d1', dubai, at(11, 30), at(12, 30)))
      .then([
        claimed('d1', dubai, at(11, 30), at(12, 30), '2026-03-02T07:30:00.000Z', '2026-03-02T08:30:00.000Z'),
      ]);
    const state = [zoneOnly].reduce(trainerDayDecider.evolve, trainerDayDecider.initialState());
    expect(state.claims.get('k1')?.instants).toEqual({
      startsAt: Date.parse('2026-03-02T05:30:00.000Z'),
      endsAt: Date.parse('2026-03-02T06:30:00.000Z'),
    });
  });

  it('answer a retried claim that now carries its zone as already held', () =>
    spec
      .given([claimedLocally('k1', kolkata, at(9), at(10))])
      .when(claim('k1', kolkata, at(9), at(10)))
      .then([]));

  it('leave a claim with no zone known by local minutes, as before', () =>
    spec
      .given([])
      .when({ ...claim('k1', kolkata, at(9), at(10)), timezone: undefined })
      .then([claimedLocally('k1', kolkata, at(9), at(10))]));
});
