import { refuse, type Decider } from '../handling/decider';
import type { Activity, ClassEvent } from '../../events/classes/classEvents';
import type { ClassBookingEvent } from '../../events/booking/bookingEvents';
import {
  bookingWeekProblem,
  canceledProblem,
  capacityProblem,
  classNotFound,
  concurrentChange,
  durationProblem,
  slotProblem,
  startedProblem,
} from './classRefusals';

export const DEFAULT_MAX_MEMBERS = 20;

/** Where and when a class happens: society-local wall clock plus the instants it meant. */
export interface ClassSlot {
  readonly date: string;
  /** Minutes since midnight, local to the society. */
  readonly start: number;
  readonly end: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timezone: string;
}

export type ActivityChanges = Partial<Omit<Activity, 'activityId'>>;

export type ClassCommand =
  | ({
      type: 'ScheduleClass';
      classId: string;
      societyId: string;
      name: string;
      classType: string;
      maxMembers: number;
      /** The society's `max_members_per_event` as its stream shows it now. */
      societyMaxMembersPerEvent: number;
      trainerId: string | null;
      scheduledBy: string | null;
      /** Where in the society the class takes place, when the admin said. */
      location?: string;
    } & ClassSlot)
  | {
      type: 'ChangeClassDetails';
      changes: { name?: string; classType?: string; maxMembers?: number };
      societyMaxMembersPerEvent: number;
    }
  | ({
      type: 'RescheduleClass';
      /** The trainer whose claim the caller moved: if another has been assigned since, refuse. */
      trainerIdSeen: string | null;
    } & ClassSlot)
  | {
      type: 'AssignTrainer';
      trainerId: string;
      /** The slot the caller claimed in the trainer's day: if the class moved since, refuse. */
      slotSeen: { date: string; start: number; end: number };
    }
  | { type: 'CancelClass'; reason: string; canceledBy: string | null }
  | { type: 'AddActivity'; activity: Activity; /** 1-based; appended when absent. */ order?: number }
  | { type: 'ChangeActivity'; activityId: string; changes: ActivityChanges; order?: number };

export interface ScheduledClass extends ClassSlot {
  readonly exists: true;
  readonly classId: string;
  readonly societyId: string;
  readonly name: string;
  readonly classType: string;
  readonly maxMembers: number;
  readonly trainerId: string | null;
  readonly canceled: boolean;
  /** In running order. */
  readonly activities: readonly Activity[];
  /**
   * Bookings holding a seat or a waitlist place (confirmed or waitlisted), each of which holds a
   * slot in its member's `booking-quota-<member>-<week>`. Counted from the booking facts in this
   * same stream, so only a fold of the whole stream by this decider sees them (classSeatsDecider
   * folds bookings into its own `seats` and leaves this at 0 in its `cls`).
   */
  readonly activeBookings: number;
}
export type ClassState = { readonly exists: false } | ScheduledClass;

/** Everything `class-<id>` holds: the class's own facts and its bookings' (classSeatsDecider). */
export type ClassStreamEvent = ClassEvent | ClassBookingEvent;

/** Moves an id to a 1-based position; the rest keep their relative order. */
const placeAt = (ids: readonly string[], id: string, order: number): string[] => {
  const rest = ids.filter((x) => x !== id);
  rest.splice(order - 1, 0, id);
  return rest;
};

const reorder = (activities: readonly Activity[], ordering: readonly string[], changed: Activity) => {
  const byId = new Map(activities.map((a) => [a.activityId, a]));
  byId.set(changed.activityId, changed);
  return ordering.map((id) => byId.get(id)!);
};

/** How a booking fact changes the number of active (confirmed or waitlisted) bookings. */
const activeBookingsDelta = (event: ClassBookingEvent): number => {
  switch (event.type) {
    case 'BookingConfirmed':
    case 'BookingWaitlisted':
      return 1;
    // Always from confirmed or waitlisted (cancelling twice records nothing); a class
    // cancellation records one of these per live booking in the same append.
    case 'BookingCanceled':
      return -1;
    // Waitlisted → confirmed: still active. Attendance changes nothing.
    case 'BookingPromoted':
    case 'AttendanceMarked':
      return 0;
  }
};

/**
 * Decides class facts only, but folds the whole `class-<id>` stream, bookings included. The
 * command handler hands evolve every recorded event of the stream.
 */
export interface ClassDecider extends Decider<ClassState, ClassCommand, ClassEvent> {
  readonly evolve: (state: ClassState, event: ClassStreamEvent) => ClassState;
}

/**
 * One class (the spec's Event) and its activities. Capacity against the society's limit and
 * activity time against the class's length are decided here; the trainer's day (limit, overlaps)
 * is the trainer-day stream's, claimed before the class records its trainer (docs/architecture.md, "Rules across streams", 3).
 */
export const classDecider: ClassDecider = {
  initialState: () => ({ exists: false }),
  evolve: (state, event) => {
    if (event.type === 'ClassScheduled') {
      const d = event.data;
      return {
        exists: true,
        classId: d.classId,
        societyId: d.societyId,
        name: d.name,
        classType: d.classType,
        maxMembers: d.maxMembers,
        trainerId: d.trainerId,
        date: d.date,
        start: d.start,
        end: d.end,
        startsAt: d.startsAt,
        endsAt: d.endsAt,
        timezone: d.timezone,
        canceled: false,
        activities: [],
        activeBookings: 0,
      };
    }
    if (!state.exists) return state;
    switch (event.type) {
      case 'ClassDetailsChanged':
        return { ...state, ...event.data.changes };
      case 'ClassRescheduled': {
        const { date, start, end, startsAt, endsAt, timezone } = event.data;
        return { ...state, date, start, end, startsAt, endsAt, timezone };
      }
      case 'TrainerAssignedToClass':
        return { ...state, trainerId: event.data.trainerId };
      case 'ClassCanceled':
        return { ...state, canceled: true };
      case 'ClassActivityAdded':
      case 'ClassActivityChanged':
        return { ...state, activities: reorder(state.activities, event.data.ordering, event.data.activity) };
      default: {
        // The class stream also holds its bookings (decided by classSeatsDecider): only their count matters here.
        const delta = activeBookingsDelta(event);
        return delta === 0 ? state : { ...state, activeBookings: state.activeBookings + delta };
      }
    }
  },
  decide: (command, state, ctx) => {
    if (command.type === 'ScheduleClass') {
      if (state.exists) return refuse('class-already-exists', 409, 'This class already exists');
      const problem =
        slotProblem(command, ctx.now) ??
        capacityProblem(command.maxMembers, command.societyMaxMembersPerEvent);
      if (problem) return problem;
      const { type: _t, societyMaxMembersPerEvent: _l, ...data } = command;
      return [{ type: 'ClassScheduled', data }];
    }
    if (!state.exists) return classNotFound();
    const { classId } = state;
    switch (command.type) {
      case 'ChangeClassDetails': {
        const problem =
          canceledProblem(state) ??
          (command.changes.maxMembers !== undefined
            ? capacityProblem(command.changes.maxMembers, command.societyMaxMembersPerEvent)
            : null);
        if (problem) return problem;
        const changes = Object.fromEntries(
          Object.entries(command.changes).filter(
            ([k, v]) => v !== undefined && state[k as keyof ScheduledClass] !== v,
          ),
        );
        return Object.keys(changes).length
          ? [{ type: 'ClassDetailsChanged', data: { classId, changes } }]
          : [];
      }
      case 'RescheduleClass': {
        const problem =
          canceledProblem(state) ?? startedProblem(state, ctx.now) ?? slotProblem(command, ctx.now);
        if (problem) return problem;
        if (command.trainerIdSeen !== state.trainerId) return concurrentChange();
        if (command.date === state.date && command.start === state.start && command.end === state.end)
          return [];
        // Decided on the class stream at the revision its bookings were folded from: a booking
        // appended meanwhile makes this append conflict, and the handler re-decides with it counted.
        const weekProblem = bookingWeekProblem(state, command.date);
        if (weekProblem) return weekProblem;
        const tooLong = durationProblem(state.activities, command.end - command.start);
        if (tooLong) return tooLong;
        const { type: _t, trainerIdSeen: _s, ...slot } = command;
        return [
          {
            type: 'ClassRescheduled',
            data: { classId, ...slot, previous: { date: state.date, start: state.start, end: state.end } },
          },
        ];
      }
      case 'AssignTrainer': {
        const problem = canceledProblem(state) ?? startedProblem(state, ctx.now);
        if (problem) return problem;
        const seen = command.slotSeen;
        if (seen.date !== state.date || seen.start !== state.start || seen.end !== state.end)
          return concurrentChange();
        if (command.trainerId === state.trainerId) return [];
        return [
          {
            type: 'TrainerAssignedToClass',
            data: {
              classId,
              trainerId: command.trainerId,
              previousTrainerId: state.trainerId,
              date: state.date,
            },
          },
        ];
      }
      case 'CancelClass': {
        if (state.canceled) return refuse('class-already-canceled', 409, 'The class is already canceled');
        const started = startedProblem(state, ctx.now);
        if (started) return started;
        return [
          {
            type: 'ClassCanceled',
            data: {
              classId,
              reason: command.reason,
              canceledBy: command.canceledBy,
              trainerId: state.trainerId,
              date: state.date,
            },
          },
        ];
      }
      case 'AddActivity': {
        const canceled = canceledProblem(state);
        if (canceled) return canceled;
        const { activity } = command;
        if (state.activities.some((a) => a.activityId === activity.activityId))
          return refuse('activity-already-exists', 409, 'This activity already exists');
        const order = command.order ?? state.activities.length + 1;
        if (!Number.isInteger(order) || order < 1 || order > state.activities.length + 1)
          return refuse(
            'activity-order-out-of-range',
            422,
            'An activity goes between position 1 and one past the last',
            `order ${order}; the class has ${state.activities.length} activities`,
          );
        const tooLong = durationProblem([...state.activities, activity], state.end - state.start);
        if (tooLong) return tooLong;
        const ordering = placeAt(
          state.activities.map((a) => a.activityId),
          activity.activityId,
          order,
        );
        return [{ type: 'ClassActivityAdded', data: { classId, activity, ordering } }];
      }
      case 'ChangeActivity': {
        const canceled = canceledProblem(state);
        if (canceled) return canceled;
        const index = state.activities.findIndex((a) => a.activityId === command.activityId);
        if (index < 0) return refuse('activity-not-found', 404, 'Activity not found', command.activityId);
        const current = state.activities[index]!;
        const order = command.order ?? index + 1;
        if (!Number.isInteger(order) || order < 1 || order > state.activities.length)
          return refuse(
            'activity-order-out-of-range',
            422,
            'An activity moves to a position between 1 and the last',
            `order ${order}; the class has ${state.activities.length} activities`,
          );
        const activity: Activity = {
          ...current,
          ...Object.fromEntries(Object.entries(command.changes).filter(([, v]) => v !== undefined)),
        };
        const ids = state.activities.map((a) => a.activityId);
        const ordering = placeAt(ids, activity.activityId, order);
        if (JSON.stringify(activity) === JSON.stringify(current) && ordering.join() === ids.join()) return [];
        const tooLong = durationProblem(
          state.activities.map((a) => (a.activityId === activity.activityId ? activity : a)),
          state.end - state.start,
        );
        if (tooLong) return tooLong;
        return [{ type: 'ClassActivityChanged', data: { classId, activity, ordering } }];
      }
    }
  },
};
