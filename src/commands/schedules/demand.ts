import type { PlanSlot } from './planningProblem';

/** Members turned away per week, on average, below which demand changes nothing structural. */
export const EXTRA_SLOT_MIN_OVERFLOW = 5;

/**
 * Member demand from recent weeks (issue 8: "demand raises capacity or adds a slot"): for each
 * template, how many members a week its classes turned away (left on the waitlist). First the
 * class grows towards the society's limit; what still does not fit, if at least
 * EXTRA_SLOT_MIN_OVERFLOW members, gets an extra class straight after it at the same society
 * (no travel, so its trainer can usually stay). Pure: the overflow comes in, slots go out.
 */
export const applyDemand = <S extends PlanSlot>(
  slots: readonly S[],
  overflowByTemplate: ReadonlyMap<string, number>,
  extraSlot: (slot: S) => Pick<PlanSlot, 'classId'> & Partial<S>,
): S[] =>
  slots.flatMap((slot) => {
    const overflow = Math.ceil(overflowByTemplate.get(slot.templateId) ?? 0);
    if (overflow <= 0) return [slot];
    const wanted = slot.maxMembers + overflow;
    const raised = { ...slot, maxMembers: Math.min(wanted, slot.societyMaxMembersPerEvent) };
    const leftOver = wanted - raised.maxMembers;
    const length = slot.end - slot.start;
    if (leftOver < EXTRA_SLOT_MIN_OVERFLOW || slot.end + length > 1440) return [raised];
    return [
      raised,
      {
        ...slot,
        name: `${slot.name} (extra)`,
        start: slot.end,
        end: slot.end + length,
        maxMembers: Math.min(leftOver, slot.societyMaxMembersPerEvent),
        preferredTrainerId: slot.preferredTrainerId,
        // Not the original's: the time moved. extraSlot gives the new instants when it knows the zone.
        instants: null,
        ...extraSlot(slot),
      },
    ];
  });
