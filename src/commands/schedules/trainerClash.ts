import { travelBufferMinutes, type GeoPoint } from '../trainers/trainerDayDecider';

interface Placed {
  readonly societyId: string;
  readonly start: number;
  readonly end: number;
  readonly societyLocation: GeoPoint | null;
}

/**
 * The trainer-day rule, restated for planning (the decider keeps its own private): two classes
 * of one trainer on one date clash when one starts before the other ends plus the travel
 * between their societies (travelBufferMinutes, the very function the claim uses; none within
 * one society). Kept identical so the claims accept every plan the solver makes.
 */
export const classesClash = (a: Placed, b: Placed): boolean => {
  const buffer = a.societyId === b.societyId ? 0 : travelBufferMinutes(a.societyLocation, b.societyLocation);
  return a.start < b.end + buffer && b.start < a.end + buffer;
};
