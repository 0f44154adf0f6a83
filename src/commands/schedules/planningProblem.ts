import type { Availability } from '../../events/trainers/trainerEvents';
import type { ClaimInstants, GeoPoint } from '../trainers/trainerDayDecider';

/**
 * One week's staffing problem, plain data: the classes to staff and the trainers who might.
 * Dates are society-local calendar dates and times minutes since midnight local to the class's
 * society, with the instants those mean in the society's zone — the same terms the trainer-day
 * claim decides in (one day per society-local date, overlaps in absolute time when both classes
 * know their instants, see trainerClash), so a plan that satisfies these rules is a plan the
 * claims will accept.
 */
export interface PlanSlot {
  /** Derived from society + template + week, so planning the same week twice names the same class. */
  readonly classId: string;
  readonly societyId: string;
  readonly templateId: string;
  readonly name: string;
  readonly classType: string;
  readonly date: string;
  readonly start: number;
  readonly end: number;
  /**
   * `date` + `start`/`end` in the society's zone, epoch ms (what the claim will record). Absent or
   * null: compared by local minutes only, as the claim compares a claim without instants.
   */
  readonly instants?: ClaimInstants | null;
  readonly maxMembers: number;
  readonly societyMaxMembersPerEvent: number;
  readonly preferredTrainerId: string | null;
  readonly societyLocation: GeoPoint | null;
}

/** A class a trainer already holds a claim for (hand-made, or generated earlier). */
export interface BookedSlot {
  readonly classId: string;
  readonly societyId: string;
  readonly date: string;
  readonly start: number;
  readonly end: number;
  readonly societyLocation: GeoPoint | null;
  /** The claim's span in absolute time, epoch ms; absent or null when known by local minutes only. */
  readonly instants?: ClaimInstants | null;
}

export interface PlanTrainer {
  readonly trainerId: string;
  readonly specialization: readonly string[];
  readonly availability: Availability | null;
  readonly maxClassesPerDay: number;
  readonly home: GeoPoint | null;
  /** Claims already held on the week's dates. */
  readonly booked: readonly BookedSlot[];
}

export interface PlanningProblem {
  readonly slots: readonly PlanSlot[];
  readonly trainers: readonly PlanTrainer[];
}

/** classId → trainerId, for the slots that got a trainer. */
export type Assignment = ReadonlyMap<string, string>;

export type UnstaffedReason =
  'no-trainer-teaches-class-type' | 'no-trainer-available' | 'trainers-fully-booked';
