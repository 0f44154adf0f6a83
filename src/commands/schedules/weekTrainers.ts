import type { Knex } from 'knex';
import {
  allSocietyClocks,
  allTrainersForPlanning,
  claimsHeldOn,
  type HeldClaimRow,
} from '../../projections/schedules/planningQueries';
import type { ClaimInstants } from '../trainers/trainerDayDecider';
import type { PlanTrainer } from './planningProblem';
import { instantsOf } from './trainerClash';

/**
 * A held claim's instants: those it recorded; for a claim recorded before claims carried them, its
 * minutes in its society's zone (as the claim's own upcast does when it knows the zone).
 */
const heldInstants = (claim: HeldClaimRow, timezone: string | undefined): ClaimInstants | null =>
  claim.starts_at !== null && claim.ends_at !== null
    ? { startsAt: Date.parse(claim.starts_at), endsAt: Date.parse(claim.ends_at) }
    : timezone === undefined
      ? null
      : instantsOf(claim.date, claim.start_minute, claim.end_minute, timezone);

export interface WeekTrainers {
  readonly trainers: PlanTrainer[];
  /** Claims left by an interrupted earlier run for classes still to be made (released on generate). */
  readonly strayClaims: HeldClaimRow[];
}

/**
 * The trainers as the planner sees them for a week, from the read side: who they are, and the
 * claims they already hold on its dates. A claim for one of the classes this run is still to make
 * (`pendingClassIds`) books nobody: an interrupted earlier run left it, and generating gives it back.
 */
export const trainersForWeek = async (
  knex: Knex,
  dates: readonly string[],
  pendingClassIds: ReadonlySet<string>,
): Promise<WeekTrainers> => {
  const [held, clocks] = await Promise.all([claimsHeldOn(knex, dates), allSocietyClocks(knex)]);
  // The read model (trainer_day_slots) keeps a claim's local minutes only, not the instants the
  // claim recorded: take those minutes in the society's zone, which is what the claim recorded
  // unless the zone changed since. Planning can still differ from the claim there, and for claims
  // recorded before claims carried instants (the decider compares those by local minutes); the
  // claim decides either way, and generateWeek reports a refused slot.
  const zoneOf = new Map(clocks.map((c) => [c.id, c.timezone]));
  const strayClaims = held.filter((c) => pendingClassIds.has(c.class_id));
  const booked = new Map<string, PlanTrainer['booked'][number][]>();
  for (const c of held) {
    if (pendingClassIds.has(c.class_id)) continue;
    booked.set(c.trainer_id, [
      ...(booked.get(c.trainer_id) ?? []),
      {
        classId: c.class_id,
        societyId: c.society_id,
        date: c.date,
        start: c.start_minute,
        end: c.end_minute,
        instants: heldInstants(c, zoneOf.get(c.society_id)),
        societyLocation:
          c.latitude !== null && c.longitude !== null ? { lat: c.latitude, lng: c.longitude } : null,
      },
    ]);
  }
  const trainers: PlanTrainer[] = (await allTrainersForPlanning(knex)).map((t) => ({
    trainerId: t.id,
    specialization: t.specialization,
    availability: t.availability,
    maxClassesPerDay: t.max_classes_per_day,
    // No coordinates (a place name only): no travel from home is counted for this trainer.
    home:
      t.location.latitude !== null && t.location.longitude !== null
        ? { lat: t.location.latitude, lng: t.location.longitude }
        : null,
    booked: booked.get(t.id) ?? [],
  }));
  return { trainers, strayClaims };
};
