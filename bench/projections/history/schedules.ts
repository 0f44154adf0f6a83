import { randomUUID } from 'node:crypto';
import { isoWeekOf } from '../../../src/commands/schedules/isoWeek';
import { streams } from '../../../src/events/streams';
import { CLASS_KINDS, TIME_ZONE, WEEKDAYS, type Class, type SocietySim, type Template } from './simulation';
import { addActivity, claimTrainerDay, instants } from './classes';

/** Weekly slots a society runs: distinct times, so a member's bookings never overlap. */
const TEMPLATE_SLOTS: ReadonlyArray<{ weekday: number; start: number; kind: number }> = [
  { weekday: 0, start: 6 * 60 + 30, kind: 0 },
  { weekday: 1, start: 18 * 60, kind: 1 },
  { weekday: 2, start: 6 * 60 + 30, kind: 0 },
  { weekday: 2, start: 19 * 60, kind: 4 },
  { weekday: 3, start: 18 * 60, kind: 1 },
  { weekday: 4, start: 7 * 60, kind: 3 },
  { weekday: 5, start: 9 * 60, kind: 2 },
  { weekday: 6, start: 8 * 60, kind: 3 },
];

export const addTemplates = (society: SocietySim): void => {
  const stream = streams.scheduleTemplates(society.societyId);
  for (const [i, slot] of TEMPLATE_SLOTS.entries()) {
    const kind = CLASS_KINDS[slot.kind]!;
    const template: Template = {
      id: randomUUID(),
      name: kind.name,
      weekday: slot.weekday,
      start: slot.start,
      end: slot.start + 60,
      classType: kind.classType,
      maxMembers: 10 + (i % 5),
      trainerId: society.trainers[i % society.trainers.length]!.id,
      // Early mornings and weekends fill up; a few slots never do.
      popularity: 0.4 + society.random() * 1.4,
    };
    society.append(stream, [{ type: 'ScheduleTemplateAdded', data: templateAdded(society, template) }]);
    society.templates.push(template);
  }
  const changed = society.templates[0]!;
  changed.maxMembers += 2;
  society.append(stream, [
    {
      type: 'ScheduleTemplateChanged',
      data: {
        societyId: society.societyId,
        templateId: changed.id,
        changes: { maxMembers: changed.maxMembers },
      },
    },
  ]);
  const trial: Template = { ...changed, id: randomUUID(), name: 'Trial Slot', weekday: 6, start: 20 * 60 };
  society.append(stream, [{ type: 'ScheduleTemplateAdded', data: templateAdded(society, trial) }]);
  society.append(stream, [
    {
      type: 'ScheduleTemplateRemoved',
      data: { societyId: society.societyId, templateId: trial.id, removedBy: society.admins[1]! },
    },
  ]);
};

export const templateAdded = (society: SocietySim, t: Template) => {
  return {
    societyId: society.societyId,
    templateId: t.id,
    addedBy: society.admins[0]!,
    name: t.name,
    weekday: WEEKDAYS[t.weekday]!,
    start: t.start,
    end: t.end,
    classType: t.classType,
    maxMembers: t.maxMembers,
    preferredTrainerId: t.trainerId,
  };
};

/** The week generator's run: a class per template (trainer-day claimed first), then the week record. */
export const scheduleWeek = (society: SocietySim, week: number): Class[] => {
  const isoWeek = isoWeekOf(society.dateOf(week, 0));
  const classes = society.templates.map((template) => {
    const date = society.dateOf(week, template.weekday);
    const cls: Class = {
      id: randomUUID(),
      name: template.name,
      date,
      week: isoWeek,
      start: template.start,
      end: template.end,
      ...instants(society, date, template.start, template.end),
      trainerId: template.trainerId,
      capacity: Math.min(template.maxMembers, 20),
      canceled: false,
      popularity: template.popularity,
      bookings: [],
      waitlist: [],
    };
    claimTrainerDay(society, cls.trainerId, cls);
    society.append(streams.class(cls.id), [
      {
        type: 'ClassScheduled',
        data: {
          classId: cls.id,
          societyId: society.societyId,
          name: cls.name,
          classType: template.classType,
          maxMembers: template.maxMembers,
          trainerId: cls.trainerId,
          scheduledBy: null,
          date,
          start: cls.start,
          end: cls.end,
          startsAt: cls.startsAt,
          endsAt: cls.endsAt,
          timezone: TIME_ZONE,
        },
      },
    ]);
    if (society.chance(0.5)) addActivity(society, cls);
    return cls;
  });
  society.append(streams.scheduleWeek(society.societyId, isoWeek), [
    {
      type: 'WeekScheduleGenerated',
      data: {
        societyId: society.societyId,
        isoWeek,
        classIds: classes.map((c) => c.id),
        unstaffed: [],
        solver: { method: 'greedy', status: 'feasible', seconds: 0.02 },
        generatedBy: null,
      },
    },
  ]);
  society.classesByWeek.set(isoWeek, classes);
  return classes;
};
