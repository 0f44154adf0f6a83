import { applyDemand, EXTRA_SLOT_MIN_OVERFLOW } from '../../../src/commands/schedules/demand';
import type { PlanSlot } from '../../../src/commands/schedules/planningProblem';

const slot: PlanSlot = {
  classId: 'c1',
  societyId: 's1',
  templateId: 't1',
  name: 'Evening Zumba',
  classType: 'zumba',
  date: '2030-03-04',
  start: 1080,
  end: 1140,
  maxMembers: 15,
  societyMaxMembersPerEvent: 20,
  preferredTrainerId: null,
  societyLocation: null,
};
const extra = () => ({ classId: 'c1-extra' });

describe('demand from recent waitlists', () => {
  it('changes nothing without overflow', () => {
    expect(applyDemand([slot], new Map(), extra)).toEqual([slot]);
  });

  it('raises the seats by the members turned away, up to the society’s limit', () => {
    expect(applyDemand([slot], new Map([['t1', 3.2]]), extra)).toEqual([{ ...slot, maxMembers: 19 }]);
    expect(applyDemand([slot], new Map([['t1', 9]]), extra)).toEqual([{ ...slot, maxMembers: 20 }]);
  });

  it(`adds a class straight after it when ${EXTRA_SLOT_MIN_OVERFLOW}+ members still would not fit`, () => {
    expect(applyDemand([slot], new Map([['t1', 12]]), extra)).toEqual([
      { ...slot, maxMembers: 20 },
      {
        ...slot,
        classId: 'c1-extra',
        name: 'Evening Zumba (extra)',
        start: 1140,
        end: 1200,
        maxMembers: 7,
        instants: null,
      },
    ]);
  });

  it('never lets the extra class keep its original’s instants: they are the caller’s to give', () => {
    const timed = { ...slot, instants: { startsAt: 1_000, endsAt: 2_000 } };
    const [raised, added] = applyDemand([timed], new Map([['t1', 12]]), extra);
    expect(raised?.instants).toEqual(timed.instants);
    expect(added?.instants).toBeNull();
    const moved = { startsAt: 2_000, endsAt: 3_000 };
    expect(
      applyDemand([timed], new Map([['t1', 12]]), () => ({ classId: 'x', instants: moved }))[1],
    ).toMatchObject({
      instants: moved,
    });
  });

  it('adds no class that would run past midnight', () => {
    const late = { ...slot, start: 1380, end: 1420 };
    expect(applyDemand([late], new Map([['t1', 30]]), extra)).toEqual([{ ...late, maxMembers: 20 }]);
  });
});
