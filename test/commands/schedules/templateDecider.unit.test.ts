import { templateDecider, type TemplateCommand } from '../../../src/commands/schedules/templateDecider';
import type {
  ScheduleTemplateEvent,
  TemplateDetails,
} from '../../../src/events/schedules/scheduleTemplateEvents';
import { deciderSpec } from '../../support/deciderSpec';

const SOCIETY = '11111111-1111-4111-8111-111111111111';
const TEMPLATE = '22222222-2222-4222-8222-222222222222';
const details: TemplateDetails = {
  name: 'Morning flow',
  weekday: 'mon',
  start: 540,
  end: 600,
  classType: 'yoga',
  maxMembers: 20,
  preferredTrainerId: null,
};
const added: ScheduleTemplateEvent = {
  type: 'ScheduleTemplateAdded',
  data: { societyId: SOCIETY, templateId: TEMPLATE, addedBy: null, ...details },
};
const removed: ScheduleTemplateEvent = {
  type: 'ScheduleTemplateRemoved',
  data: { societyId: SOCIETY, templateId: TEMPLATE, removedBy: null },
};
const add = (over: Partial<TemplateDetails> = {}, limit = 20): TemplateCommand => ({
  type: 'AddTemplate',
  societyId: SOCIETY,
  templateId: TEMPLATE,
  details: { ...details, ...over },
  addedBy: null,
  societyMaxMembersPerEvent: limit,
});
const change = (changes: Partial<TemplateDetails>, limit = 20): TemplateCommand => ({
  type: 'ChangeTemplate',
  societyId: SOCIETY,
  templateId: TEMPLATE,
  changes,
  societyMaxMembersPerEvent: limit,
});
const remove: TemplateCommand = {
  type: 'RemoveTemplate',
  societyId: SOCIETY,
  templateId: TEMPLATE,
  removedBy: null,
};

const spec = deciderSpec(templateDecider);

describe('weekly templates', () => {
  it('adds a template within the society’s seat limit', () => spec.given([]).when(add()).then([added]));

  it('refuses more seats than the society allows per class', () =>
    spec
      .given([])
      .when(add({ maxMembers: 21 }))
      .thenRefused('capacity-above-society-limit', 422));

  it('refuses a class that ends before it starts or runs past midnight', () => {
    spec
      .given([])
      .when(add({ start: 600, end: 540 }))
      .thenRefused('invalid-class-times', 400);
    spec
      .given([])
      .when(add({ start: 1400, end: 1500 }))
      .thenRefused('invalid-class-times', 400);
  });

  it('never reuses an id, not even a removed one', () => {
    spec.given([added]).when(add()).thenRefused('schedule-template-exists', 409);
    spec.given([added, removed]).when(add()).thenRefused('schedule-template-exists', 409);
  });

  it('records only what changes, and checks the result as a whole', () => {
    spec
      .given([added])
      .when(change({ start: 600, end: 660, name: 'Morning flow' }))
      .then([
        {
          type: 'ScheduleTemplateChanged',
          data: { societyId: SOCIETY, templateId: TEMPLATE, changes: { start: 600, end: 660 } },
        },
      ]);
    spec
      .given([added])
      .when(change({ start: 540 }))
      .then([]);
    spec
      .given([added])
      .when(change({ start: 620 }))
      .thenRefused('invalid-class-times', 400);
    spec
      .given([added])
      .when(change({ maxMembers: 30 }, 25))
      .thenRefused('capacity-above-society-limit', 422);
  });

  it('changes and removes only templates that exist; removing twice is a no-op', () => {
    spec
      .given([])
      .when(change({ name: 'x' }))
      .thenRefused('schedule-template-not-found', 404);
    spec.given([]).when(remove).thenRefused('schedule-template-not-found', 404);
    spec.given([added]).when(remove).then([removed]);
    spec.given([added, removed]).when(remove).then([]);
  });
});
