import { classDecider, type ClassCommand } from '../../../src/commands/classes/classDecider';
import type { Activity, ClassEvent } from '../../../src/events/classes/classEvents';
import { deciderSpec } from '../../support/deciderSpec';

// The spec's clock is 2026-03-01T10:00:00Z; the class is on 2026-03-02 in Asia/Kolkata.
const spec = deciderSpec(classDecider);
const classId = '22222222-2222-4222-8222-222222222222';
const societyId = '33333333-3333-4333-8333-333333333333';
const trainerA = '44444444-4444-4444-8444-444444444444';
const trainerB = '55555555-5555-4555-8555-555555555555';
const at = (h: number, m = 0) => h * 60 + m;

const slot = (date: string, start: number, end: number, startsAt: string, endsAt: string) => ({
  date,
  start,
  end,
  startsAt,
  endsAt,
  timezone: 'Asia/Kolkata',
});
const tenToEleven = slot(
  '2026-03-02',
  at(10),
  at(11),
  '2026-03-02T04:30:00.000Z',
  '2026-03-02T05:30:00.000Z',
);

const schedule = (over: Partial<Extract<ClassCommand, { type: 'ScheduleClass' }>> = {}): ClassCommand => ({
  type: 'ScheduleClass',
  classId,
  societyId,
  name: 'Morning Yoga',
  classType: 'yoga',
  maxMembers: 20,
  societyMaxMembersPerEvent: 25,
  trainerId: trainerA,
  scheduledBy: null,
  ...tenToEleven,
  ...over,
});
const scheduled = (over: Partial<ClassEvent['data']> = {}): ClassEvent => {
  const {
    type: _t,
    societyMaxMembersPerEvent: _l,
    ...data
  } = schedule() as Extract<ClassCommand, { type: 'ScheduleClass' }>;
  return { type: 'ClassScheduled', data: { ...data, ...over } } as ClassEvent;
};
const activity = (n: number, duration: number): Activity => ({
  activityId: `00000000-0000-4000-8000-00000000000${n}`,
  name: `A${n}`,
  duration,
  description: null,
  tracks: [`t${n}.mp3`],
  mediaUrl: null,
});
const added = (a: Activity, ordering: Activity[]): ClassEvent => ({
  type: 'ClassActivityAdded',
  data: { classId, activity: a, ordering: ordering.map((x) => x.activityId) },
});
const canceled: ClassEvent = {
  type: 'ClassCanceled',
  data: { classId, reason: 'rain', canceledBy: null, trainerId: trainerA, date: '2026-03-02' },
};

describe('ScheduleClass', () => {
  it('schedules a class with its trainer', () => spec.given([]).when(schedule()).then([scheduled()]));
  it('schedules a class with no trainer yet', () =>
    spec
      .given([])
      .when(schedule({ trainerId: null }))
      .then([scheduled({ trainerId: null })]));
  it('refuses a second schedule of the same class', () =>
    spec.given([scheduled()]).when(schedule()).thenRefused('class-already-exists', 409));
  it('refuses more seats than the society allows per class', () =>
    spec
      .given([])
      .when(schedule({ maxMembers: 26 }))
      .thenRefused('capacity-above-society-limit', 422));
  it('accepts exactly the society limit', () =>
    spec
      .given([])
      .when(schedule({ maxMembers: 25 }))
      .then([scheduled({ maxMembers: 25 })]));
  it('refuses zero seats', () =>
    spec
      .given([])
      .when(schedule({ maxMembers: 0 }))
      .thenRefused('invalid-max-members', 400));
  it('refuses a class that ends before it starts', () =>
    spec
      .given([])
      .when(schedule({ start: at(11), end: at(10) }))
      .thenRefused('invalid-class-times', 400));
  it('refuses a class past midnight', () =>
    spec
      .given([])
      .when(schedule({ start: at(23), end: 1500 }))
      .thenRefused('invalid-class-times', 400));
  it('refuses a class that starts in the past', () =>
    spec
      .given([])
      .when(schedule({ startsAt: '2026-03-01T09:00:00.000Z' }))
      .thenRefused('class-in-the-past', 422));
});

describe('ChangeClassDetails', () => {
  const change = (changes: object, limit = 25): ClassCommand => ({
    type: 'ChangeClassDetails',
    changes,
    societyMaxMembersPerEvent: limit,
  });
  it('records only what changed', () =>
    spec
      .given([scheduled()])
      .when(change({ name: 'Evening Yoga', maxMembers: 20 }))
      .then([{ type: 'ClassDetailsChanged', data: { classId, changes: { name: 'Evening Yoga' } } }]));
  it('records nothing when nothing changes', () =>
    spec
      .given([scheduled()])
      .when(change({ name: 'Morning Yoga' }))
      .then([]));
  it('refuses seats above the society limit', () =>
    spec
      .given([scheduled()])
      .when(change({ maxMembers: 30 }))
      .thenRefused('capacity-above-society-limit', 422));
  it('refuses a canceled class', () =>
    spec
      .given([scheduled(), canceled])
      .when(change({ name: 'X' }))
      .thenRefused('class-canceled', 422));
  it('refuses an unknown class', () =>
    spec
      .given([])
      .when(change({ name: 'X' }))
      .thenRefused('class-not-found', 404));
});

describe('RescheduleClass', () => {
  const later = slot('2026-03-03', at(18), at(19), '2026-03-03T12:30:00.000Z', '2026-03-03T13:30:00.000Z');
  const move = (s = later, trainerIdSeen: string | null = trainerA): ClassCommand => ({
    type: 'RescheduleClass',
    ...s,
    trainerIdSeen,
  });
  it('records the new time with the previous one', () =>
    spec
      .given([scheduled()])
      .when(move())
      .then([
        {
          type: 'ClassRescheduled',
          data: { classId, ...later, previous: { date: '2026-03-02', start: at(10), end: at(11) } },
        },
      ]));
  it('records nothing for the same time', () => spec.given([scheduled()]).when(move(tenToEleven)).then([]));
  it('refuses when another trainer was assigned meanwhile', () =>
    spec.given([scheduled()]).when(move(later, trainerB)).thenRefused('class-changed-concurrently', 409));
  it('refuses a canceled class', () =>
    spec.given([scheduled(), canceled]).when(move()).thenRefused('class-canceled', 422));
  it('refuses a class that has started', () =>
    spec
      .given([scheduled({ startsAt: '2026-03-01T09:30:00.000Z' })])
      .when(move())
      .thenRefused('class-already-started', 422));
  it('refuses a move into the past', () =>
    spec
      .given([scheduled()])
      .when(move({ ...later, startsAt: '2026-03-01T08:00:00.000Z' }))
      .thenRefused('class-in-the-past', 422));
  it('refuses a slot shorter than its activities', () =>
    spec
      .given([scheduled(), added(activity(1, 50), [activity(1, 50)])])
      .when(move({ ...later, end: at(18, 30) }))
      .thenRefused('activities-exceed-class-duration', 422));
});

describe('AssignTrainer', () => {
  const seen = { date: '2026-03-02', start: at(10), end: at(11) };
  const assign = (trainerId = trainerB, slotSeen = seen): ClassCommand => ({
    type: 'AssignTrainer',
    trainerId,
    slotSeen,
  });
  it('records the new trainer and whom it replaced', () =>
    spec
      .given([scheduled()])
      .when(assign())
      .then([
        {
          type: 'TrainerAssignedToClass',
          data: { classId, trainerId: trainerB, previousTrainerId: trainerA, date: '2026-03-02' },
        },
      ]));
  it('records nothing for the trainer already assigned', () =>
    spec.given([scheduled()]).when(assign(trainerA)).then([]));
  it('refuses when the class moved since the slot was claimed', () =>
    spec
      .given([scheduled()])
      .when(assign(trainerB, { ...seen, start: at(9) }))
      .thenRefused('class-changed-concurrently', 409));
  it('refuses a canceled class', () =>
    spec.given([scheduled(), canceled]).when(assign()).thenRefused('class-canceled', 422));
  it('refuses an unknown class', () => spec.given([]).when(assign()).thenRefused('class-not-found', 404));
});

describe('CancelClass', () => {
  const cancel: ClassCommand = { type: 'CancelClass', reason: 'rain', canceledBy: null };
  it('records the cancellation with the trainer slot to release', () =>
    spec.given([scheduled()]).when(cancel).then([canceled]));
  it('refuses a second cancellation', () =>
    spec.given([scheduled(), canceled]).when(cancel).thenRefused('class-already-canceled', 409));
  it('refuses a class that has started', () =>
    spec
      .given([scheduled({ startsAt: '2026-03-01T09:30:00.000Z' })])
      .when(cancel)
      .thenRefused('class-already-started', 422));
});

describe('activities', () => {
  const a1 = activity(1, 15);
  const a2 = activity(2, 30);
  const a3 = activity(3, 10);
  const add = (a: Activity, order?: number): ClassCommand => ({ type: 'AddActivity', activity: a, order });
  const change = (activityId: string, changes: object, order?: number): ClassCommand => ({
    type: 'ChangeActivity',
    activityId,
    changes,
    order,
  });
  const two = [scheduled(), added(a1, [a1]), added(a2, [a1, a2])];

  it('appends an activity last by default', () =>
    spec
      .given(two)
      .when(add(a3))
      .then([added(a3, [a1, a2, a3])]));
  it('inserts at a position, shifting the rest', () =>
    spec
      .given(two)
      .when(add(a3, 1))
      .then([added(a3, [a3, a1, a2])]));
  it('refuses a position past one after the last', () =>
    spec.given(two).when(add(a3, 4)).thenRefused('activity-order-out-of-range', 422));
  it('refuses activities longer than the class', () =>
    spec
      .given(two)
      .when(add(activity(4, 16)))
      .thenRefused('activities-exceed-class-duration', 422));
  it('accepts activities filling the class exactly', () =>
    spec
      .given(two)
      .when(add(activity(4, 15)))
      .then([added(activity(4, 15), [a1, a2, activity(4, 15)])]));
  it('refuses an activity on a canceled class', () =>
    spec
      .given([...two, canceled])
      .when(add(a3))
      .thenRefused('class-canceled', 422));
  it('moves an activity, keeping orders contiguous', () =>
    spec
      .given([...two, added(a3, [a1, a2, a3])])
      .when(change(a3.activityId, {}, 1))
      .then([
        {
          type: 'ClassActivityChanged',
          data: { classId, activity: a3, ordering: [a3, a1, a2].map((a) => a.activityId) },
        },
      ]));
  it('changes an activity’s fields in place', () =>
    spec
      .given(two)
      .when(change(a1.activityId, { name: 'Warm-up', tracks: ['calm.mp3'] }))
      .then([
        {
          type: 'ClassActivityChanged',
          data: {
            classId,
            activity: { ...a1, name: 'Warm-up', tracks: ['calm.mp3'] },
            ordering: [a1, a2].map((a) => a.activityId),
          },
        },
      ]));
  it('records nothing when nothing changes', () =>
    spec
      .given(two)
      .when(change(a1.activityId, { name: 'A1' }, 1))
      .then([]));
  it('refuses a longer activity that would overrun the class', () =>
    spec
      .given(two)
      .when(change(a2.activityId, { duration: 46 }))
      .thenRefused('activities-exceed-class-duration', 422));
  it('refuses a move beyond the last position', () =>
    spec
      .given(two)
      .when(change(a1.activityId, {}, 3))
      .thenRefused('activity-order-out-of-range', 422));
  it('refuses an unknown activity', () =>
    spec
      .given(two)
      .when(change(a3.activityId, { name: 'x' }))
      .thenRefused('activity-not-found', 404));
  it('evolves the running order from the recorded ordering', () => {
    const state = [...two, added(a3, [a3, a1, a2])].reduce(classDecider.evolve, classDecider.initialState());
    expect(state.exists && state.activities.map((a) => a.name)).toEqual(['A3', 'A1', 'A2']);
  });
});
