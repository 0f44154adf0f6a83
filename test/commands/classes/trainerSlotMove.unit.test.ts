import { trainerSlotMoveDecider, type MoveTrainerSlot } from '../../../src/commands/classes/trainerSlotMove';
import type { TrainerDayEvent } from '../../../src/events/trainers/trainerEvents';
import { deciderSpec } from '../../support/deciderSpec';

const spec = deciderSpec(trainerSlotMoveDecider);
const trainerId = '11111111-1111-4111-8111-111111111111';
const date = '2030-03-04';
const location = { lat: 28.6, lng: 77.3 };
const at = (h: number, m = 0) => h * 60 + m;

const claimed = (classId: string, start: number, end: number): TrainerDayEvent => ({
  type: 'TrainerSlotClaimed',
  data: { trainerId, date, classId, societyId: 'society-a', start, end, societyLocation: location },
});
const released = (classId: string): TrainerDayEvent => ({
  type: 'TrainerSlotReleased',
  data: { trainerId, date, classId },
});
const move = (classId: string, start: number, end: number, max = 3): MoveTrainerSlot => ({
  type: 'MoveTrainerSlot',
  claim: {
    type: 'ClaimTrainerSlot',
    trainerId,
    date,
    classId,
    societyId: 'society-a',
    start,
    end,
    societyLocation: location,
    maxClassesPerDay: max,
  },
});

describe('moving a class’s claim within one day', () => {
  it('releases and re-claims in one append, even over its own old time', () =>
    spec
      .given([claimed('c1', at(6), at(7))])
      .when(move('c1', at(6, 30), at(7, 30)))
      .then([released('c1'), claimed('c1', at(6, 30), at(7, 30))]));
  it('does not count the class’s own claim against the daily limit', () =>
    spec
      .given([claimed('c1', at(6), at(7)), claimed('c2', at(8), at(9))])
      .when(move('c1', at(10), at(11), 2))
      .then([released('c1'), claimed('c1', at(10), at(11))]));
  it('refuses a time that overlaps another class, recording nothing', () =>
    spec
      .given([claimed('c1', at(6), at(7)), claimed('c2', at(8), at(9))])
      .when(move('c1', at(8, 30), at(9, 30)))
      .thenRefused('trainer-overlap', 422));
  it('claims outright when the class held no slot that day', () =>
    spec
      .given([])
      .when(move('c1', at(6), at(7)))
      .then([claimed('c1', at(6), at(7))]));
});
