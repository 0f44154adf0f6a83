import { classSeatsDecider } from '../../../src/commands/booking/classSeatsDecider';
import { classDecider } from '../../../src/commands/classes/classDecider';
import { isRefusal, type Refusal } from '../../../src/commands/handling/decider';
import {
  booking,
  classScheduled,
  classTimes,
  member,
  societyId,
  week,
} from '../../support/booking/classStreamFixtures';

// The class starts 2026-03-02T04:30Z, 10:00 in Asia/Kolkata; the clock is past it.
const afterStart = {
  now: new Date('2026-03-02T04:45:00Z'),
  newId: () => '00000000-0000-4000-8000-000000000001',
};

const refusalOf = (decision: unknown): Refusal => {
  if (!isRefusal(decision as never)) throw new Error(`expected a refusal, got ${JSON.stringify(decision)}`);
  return decision as Refusal;
};

describe('a class that has started', () => {
  it('refuses a booking with a detail saying when it started and what to do instead', () => {
    const state = [classScheduled()].reduce(classSeatsDecider.evolve, classSeatsDecider.initialState());
    const refusal = refusalOf(
      classSeatsDecider.decide(
        {
          type: 'BookSeat',
          bookingId: booking(1),
          memberId: member(1),
          societyId,
          week,
          ...classTimes,
          bookedBy: member(1),
          societyMaxMembersPerEvent: 20,
        },
        state,
        afterStart,
      ),
    );
    expect(refusal.type).toBe('class-already-started');
    expect(refusal.detail).toContain('Morning Yoga started at 10:00 (Asia/Kolkata) on 2026-03-02');
    expect(refusal.detail).toMatch(/book a later class/);
  });

  it('refuses a cancellation of the class with a detail saying when it started and that it can no longer change', () => {
    const state = [classScheduled()].reduce(classDecider.evolve, classDecider.initialState());
    const refusal = refusalOf(
      classDecider.decide({ type: 'CancelClass', reason: 'rain', canceledBy: null }, state, afterStart),
    );
    expect(refusal.type).toBe('class-already-started');
    expect(refusal.detail).toContain('Morning Yoga started at 10:00 (Asia/Kolkata) on 2026-03-02');
    expect(refusal.detail).toMatch(/no longer be moved, staffed or canceled/);
  });
});
