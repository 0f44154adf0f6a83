import { randomUUID } from 'node:crypto';
import { localToInstant } from '../../../src/events/classes/classTime';
import type { TrainerDayEvent } from '../../../src/events/trainers/trainerEvents';
import { streams } from '../../../src/events/streams';
import { DAY_MS, TIME_ZONE, type Class, type SocietySim } from './simulation';
import { cancel, releaseSlot } from './bookings';

/** A class's own life: its trainer's day claimed, activities, and admins moving, cancelling or re-staffing it. */

export const instants = (society: SocietySim, date: string, start: number, end: number) => {
  return {
    startsAt: localToInstant(date, start, TIME_ZONE).toISOString(),
    endsAt: localToInstant(date, end, TIME_ZONE).toISOString(),
  };
};

export const claimTrainerDay = (society: SocietySim, trainerId: string, cls: Class): void => {
  society.append(streams.trainerDay(trainerId, cls.date), [trainerSlotClaimed(society, trainerId, cls)]);
};

export const trainerSlotClaimed = (society: SocietySim, trainerId: string, cls: Class): TrainerDayEvent => {
  return {
    type: 'TrainerSlotClaimed',
    data: {
      trainerId,
      date: cls.date,
      classId: cls.id,
      societyId: society.societyId,
      start: cls.start,
      end: cls.end,
      societyLocation: { lat: 12.9, lng: 77.6 },
    },
  };
};

export const addActivity = (society: SocietySim, cls: Class): void => {
  const activityId = randomUUID();
  society.append(streams.class(cls.id), [
    {
      type: 'ClassActivityAdded',
      data: {
        classId: cls.id,
        activity: {
          activityId,
          name: 'Warm-up',
          duration: 10,
          description: 'Mobility and breathing',
          tracks: ['track-01', 'track-02'],
          mediaUrl: null,
        },
        ordering: [activityId],
      },
    },
  ]);
};

/** Admins move, cancel, re-staff or rename a few of next week's classes. */
export const changeClasses = (society: SocietySim, classes: readonly Class[]): void => {
  for (const cls of classes) {
    const roll = society.random();
    if (roll < 0.08) reschedule(society, cls);
    else if (roll < 0.12) cancelClass(society, cls);
    else if (roll < 0.16) reassignTrainer(society, cls);
    else if (roll < 0.19)
      society.append(
        streams.class(cls.id),
        [
          {
            type: 'ClassDetailsChanged',
            data: { classId: cls.id, changes: { name: `${cls.name} (new)` } },
          },
        ],
        society.admins[0]!,
      );
  }
};

/** An hour later the same day: the trainer's day slot moves with it. */
export const reschedule = (society: SocietySim, cls: Class): void => {
  const previous = { date: cls.date, start: cls.start, end: cls.end };
  cls.start += 60;
  cls.end += 60;
  Object.assign(cls, instants(society, cls.date, cls.start, cls.end));
  society.append(streams.trainerDay(cls.trainerId, cls.date), [
    { type: 'TrainerSlotReleased', data: { trainerId: cls.trainerId, date: cls.date, classId: cls.id } },
    trainerSlotClaimed(society, cls.trainerId, cls),
  ]);
  society.append(
    streams.class(cls.id),
    [
      {
        type: 'ClassRescheduled',
        data: {
          classId: cls.id,
          date: cls.date,
          start: cls.start,
          end: cls.end,
          startsAt: cls.startsAt,
          endsAt: cls.endsAt,
          timezone: TIME_ZONE,
          previous,
        },
      },
    ],
    society.admins[0]!,
  );
};

/** The class and all its bookings end in one append; each member's weekly slot is given back. */
export const cancelClass = (society: SocietySim, cls: Class): void => {
  const canceledAt = new Date(Date.parse(cls.startsAt) - 2 * DAY_MS).toISOString();
  const live = cls.bookings.filter((b) => b.status !== 'canceled');
  cls.canceled = true;
  society.append(
    streams.class(cls.id),
    [
      {
        type: 'ClassCanceled',
        data: {
          classId: cls.id,
          reason: 'trainer unwell',
          canceledBy: society.admins[0]!,
          trainerId: cls.trainerId,
          date: cls.date,
        },
      },
      ...cancel(
        society,
        cls,
        live.map((b) => b.id),
        'class-canceled',
        society.admins[0]!,
        canceledAt,
        false,
      ),
    ],
    society.admins[0]!,
  );
  for (const booking of live) releaseSlot(society, cls, booking, canceledAt);
  society.append(streams.trainerDay(cls.trainerId, cls.date), [
    { type: 'TrainerSlotReleased', data: { trainerId: cls.trainerId, date: cls.date, classId: cls.id } },
  ]);
};

export const reassignTrainer = (society: SocietySim, cls: Class): void => {
  const previousTrainerId = cls.trainerId;
  const trainerId = society.pick(society.trainers.filter((t) => t.id !== previousTrainerId)).id;
  claimTrainerDay(society, trainerId, cls);
  cls.trainerId = trainerId;
  society.append(
    streams.class(cls.id),
    [
      {
        type: 'TrainerAssignedToClass',
        data: { classId: cls.id, trainerId, previousTrainerId, date: cls.date },
      },
    ],
    society.admins[0]!,
  );
  society.append(streams.trainerDay(previousTrainerId, cls.date), [
    {
      type: 'TrainerSlotReleased',
      data: { trainerId: previousTrainerId, date: cls.date, classId: cls.id },
    },
  ]);
};
