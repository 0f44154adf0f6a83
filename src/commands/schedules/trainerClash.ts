/**
 * The trainer-day rule, for planning: the claim's own (trainerDayDecider), so the claims accept
 * every plan the solver makes and the planner rules out only what a claim would refuse. Two
 * classes of one trainer on one date clash when one starts before the other ends plus the travel
 * between their societies, in absolute time when both know their instants, else in local minutes.
 */
export {
  clashes as classesClash,
  instantsIn as instantsOf,
  type PlacedClaim as PlacedClass,
} from '../trainers/trainerDayDecider';
