import type { Decider } from '../handling/decider';
import { refuse } from '../handling/decider';
import type { Availability, TrainerDetails, TrainerEvent } from '../../events/trainers/trainerEvents';
import { availabilityProblems } from './availability';

export const DEFAULT_MAX_CLASSES_PER_DAY = 3;
export const MAX_CLASSES_PER_DAY_LIMIT = 10;

export type TrainerCommand =
  | {
      type: 'CreateTrainerProfile';
      trainerId: string;
      details: TrainerDetails;
      createdBy: string | null;
      /** The society whose admin adds the trainer, if one does. */
      societyId?: string;
    }
  | { type: 'UpdateTrainerProfile'; trainerId: string; changes: Partial<TrainerDetails> }
  | { type: 'SetTrainerAvailability'; trainerId: string; availability: Availability }
  | {
      /** The trainer design's day at a time: these windows on this date, the rest kept. */
      type: 'SetTrainerDay';
      trainerId: string;
      date: string;
      windows: readonly { start: number; end: number }[];
    };

export type TrainerState =
  { created: false } | { created: true; details: TrainerDetails; availability: Availability | null };

export const trainerNotFound = (trainerId: string) =>
  refuse('trainer-not-found', 404, 'Trainer not found', `No trainer profile ${trainerId}`);

const detailsProblem = (details: Partial<TrainerDetails>) => {
  if (details.specialization !== undefined && details.specialization.length === 0)
    return refuse('invalid-trainer-profile', 400, 'A trainer teaches at least one specialization');
  const max = details.maxClassesPerDay;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= MAX_CLASSES_PER_DAY_LIMIT))
    return refuse(
      'invalid-trainer-profile',
      400,
      `max_classes_per_day is between 1 and ${MAX_CLASSES_PER_DAY_LIMIT}`,
    );
  return undefined;
};

/**
 * The availability with one date's dated windows replaced (other dates and the weekly pattern
 * kept). No windows: the trainer is unavailable that date. Windows: they are available in them
 * (added to any weekly pattern on that weekday, as dated slots always are).
 */
const withDay = (
  current: Availability | null,
  day: { date: string; windows: readonly { start: number; end: number }[] },
): Availability => {
  const base = current ?? { weekly: [], slots: [], unavailable: [] };
  return {
    weekly: base.weekly,
    slots: [
      ...base.slots.filter((s) => s.date !== day.date),
      ...day.windows.map((w) => ({ date: day.date, start: w.start, end: w.end })),
    ].sort((a, b) => a.date.localeCompare(b.date) || a.start - b.start),
    unavailable: [
      ...base.unavailable.filter((d) => d !== day.date),
      ...(day.windows.length === 0 ? [day.date] : []),
    ].sort(),
  };
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what differs: an update that changes nothing records nothing. */
const actualChanges = (
  current: TrainerDetails,
  requested: Partial<TrainerDetails>,
): Partial<TrainerDetails> =>
  Object.fromEntries(
    Object.entries(requested).filter(
      ([key, value]) => value !== undefined && !same(current[key as keyof TrainerDetails], value),
    ),
  );

export const trainerDecider: Decider<TrainerState, TrainerCommand, TrainerEvent> = {
  initialState: () => ({ created: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'TrainerProfileCreated': {
        const { trainerId: _id, createdBy: _by, societyId: _society, ...details } = event.data;
        return { created: true, details, availability: null };
      }
      case 'TrainerProfileUpdated':
        return state.created ? { ...state, details: { ...state.details, ...event.data.changes } } : state;
      case 'TrainerAvailabilitySet':
        return state.created ? { ...state, availability: event.data.availability } : state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateTrainerProfile': {
        if (state.created) return refuse('trainer-exists', 409, 'This trainer already has a profile');
        const problem = detailsProblem(command.details);
        if (problem) return problem;
        return [
          {
            type: 'TrainerProfileCreated',
            data: {
              trainerId: command.trainerId,
              createdBy: command.createdBy,
              ...(command.societyId !== undefined ? { societyId: command.societyId } : {}),
              ...command.details,
            },
          },
        ];
      }
      case 'UpdateTrainerProfile': {
        if (!state.created) return trainerNotFound(command.trainerId);
        const problem = detailsProblem(command.changes);
        if (problem) return problem;
        const changes = actualChanges(state.details, command.changes);
        if (Object.keys(changes).length === 0) return [];
        return [{ type: 'TrainerProfileUpdated', data: { trainerId: command.trainerId, changes } }];
      }
      case 'SetTrainerDay':
      case 'SetTrainerAvailability': {
        if (!state.created) return trainerNotFound(command.trainerId);
        const availability =
          command.type === 'SetTrainerDay' ? withDay(state.availability, command) : command.availability;
        const problems = availabilityProblems(availability);
        if (problems.length > 0)
          return refuse('invalid-availability', 400, 'The availability is not valid', problems.join('; '));
        if (same(state.availability, availability)) return [];
        return [{ type: 'TrainerAvailabilitySet', data: { trainerId: command.trainerId, availability } }];
      }
    }
  },
};
