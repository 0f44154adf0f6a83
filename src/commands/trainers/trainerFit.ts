import { refuse, type Refusal } from '../handling/decider';
import type { Availability } from '../../events/trainers/trainerEvents';
import { formatMinute, windowsOn } from './availability';

export interface TrainerFitProfile {
  readonly specialization: readonly string[];
  /** Null until the trainer first sets it: a trainer who never said when they work is not restricted. */
  readonly availability: Availability | null;
}

export interface ClassSlot {
  readonly classType: string;
  /** 'YYYY-MM-DD', the class's local date in its society. */
  readonly date: string;
  /** Minutes since midnight, local to the society. */
  readonly start: number;
  readonly end: number;
}

const normalise = (text: string) => text.normalize('NFKC').trim().toLowerCase();

/**
 * Can this trainer teach this class at all? Specialization first (case-insensitive), then the
 * availability they declared. Workload (how many classes that day, overlaps, travel) is the
 * trainer-day stream's rule, decided there because it needs the day's other claims.
 */
export const checkTrainerFit = (profile: TrainerFitProfile, slot: ClassSlot): Refusal | 'ok' => {
  if (!profile.specialization.some((s) => normalise(s) === normalise(slot.classType))) {
    return refuse(
      'trainer-specialization-mismatch',
      422,
      'The trainer does not teach this kind of class',
      `Class type "${slot.classType}"; the trainer teaches ${profile.specialization.join(', ')}`,
    );
  }
  if (profile.availability === null) return 'ok';
  const windows = windowsOn(profile.availability, slot.date);
  if (!windows.some((w) => w.start <= slot.start && slot.end <= w.end)) {
    return refuse(
      'trainer-unavailable',
      422,
      'The trainer is not available then',
      profile.availability.unavailable.includes(slot.date)
        ? `The trainer is unavailable on ${slot.date}`
        : `${slot.date} ${formatMinute(slot.start)}-${formatMinute(slot.end)} is outside the trainer's availability`,
    );
  }
  return 'ok';
};
