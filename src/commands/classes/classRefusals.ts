import { classAlreadyStarted } from './classStarted';
import { refuse, type Refusal } from '../handling/decider';
import type { Activity } from '../../events/classes/classEvents';
import { bookingWeekOf } from '../booking/bookingWeek';
import type { ClassSlot, ScheduledClass } from './classDecider';

/** What the class decider refuses, and why: each check answers a refusal or null. */
export const classNotFound = () => refuse('class-not-found', 404, 'Class not found');

export const slotProblem = (slot: ClassSlot, now: Date): Refusal | null => {
  if (!(Number.isInteger(slot.start) && Number.isInteger(slot.end) && slot.start >= 0 && slot.end <= 1440))
    return refuse('invalid-class-times', 400, 'Class times fall within one day');
  if (slot.end <= slot.start)
    return refuse('invalid-class-times', 400, 'A class ends after it starts, on the same day');
  if (Date.parse(slot.startsAt) <= now.getTime())
    return refuse('class-in-the-past', 422, 'A class is scheduled to start in the future', slot.startsAt);
  return null;
};

export const capacityProblem = (maxMembers: number, societyLimit: number): Refusal | null => {
  if (!Number.isInteger(maxMembers) || maxMembers < 1)
    return refuse('invalid-max-members', 400, 'max_members is a whole number of at least 1');
  if (maxMembers > societyLimit)
    return refuse(
      'capacity-above-society-limit',
      422,
      'More seats than the society allows per class',
      `max_members ${maxMembers} is above the society's max_members_per_event ${societyLimit}`,
      { max_members_per_event: societyLimit },
    );
  return null;
};

export const totalMinutes = (activities: readonly Activity[]) =>
  activities.reduce((n, a) => n + a.duration, 0);

/** The class's activities never run longer than the class. */
export const durationProblem = (activities: readonly Activity[], classMinutes: number): Refusal | null => {
  const total = totalMinutes(activities);
  return total > classMinutes
    ? refuse(
        'activities-exceed-class-duration',
        422,
        'The activities would run longer than the class',
        `${total} minutes of activities in a ${classMinutes}-minute class`,
        { activities_minutes: total, class_minutes: classMinutes },
      )
    : null;
};

export const canceledProblem = (state: ScheduledClass) =>
  state.canceled ? refuse('class-canceled', 422, 'The class has been canceled') : null;

export const startedProblem = (state: ScheduledClass, now: Date) =>
  Date.parse(state.startsAt) <= now.getTime()
    ? classAlreadyStarted(state, 'a class that has started can no longer be moved, staffed or canceled.')
    : null;

/**
 * Each active booking counts against the ISO week of the class's date (bookingWeekOf): moving the
 * class to another week would leave those quota claims in the old week. The class is cancelled
 * instead (which releases every booking and its weekly slot) and a new one scheduled.
 */
export const bookingWeekProblem = (state: ScheduledClass, date: string): Refusal | null => {
  const from = bookingWeekOf(state.date);
  const to = bookingWeekOf(date);
  if (state.activeBookings === 0 || from === to) return null;
  return refuse(
    'class-has-bookings-in-week',
    422,
    'A class with bookings cannot move to another booking week',
    `${state.activeBookings} active booking(s) count against ${from}; moving the class to ${to} would ` +
      'leave them counted in the wrong week. Cancel the class (which releases everyone’s bookings) ' +
      'and schedule a new one on the new date.',
    { active_bookings: state.activeBookings, booking_week: from, requested_booking_week: to },
  );
};

export const concurrentChange = () =>
  refuse(
    'class-changed-concurrently',
    409,
    'The class changed while this request was being handled',
    'Read it again and retry.',
  );
