import { travelBufferMinutes } from '../trainers/trainerDayDecider';
import type { Assignment, BookedSlot, PlanningProblem } from './planningProblem';

const WEEKDAY_OF_UTC_DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * Checks a plan against every hard rule, written apart from the planner on purpose (its own
 * availability and overlap checks; only the travel-time formula is shared, as it *is* the rule),
 * so a planner bug cannot hide behind the same code. Empty means the plan is sound.
 */
export const hardRuleViolations = (problem: PlanningProblem, assignment: Assignment): string[] => {
  const violations: string[] = [];
  const trainers = new Map(problem.trainers.map((t) => [t.trainerId, t]));
  const slotIds = new Set(problem.slots.map((s) => s.classId));
  for (const classId of assignment.keys())
    if (!slotIds.has(classId)) violations.push(`${classId}: assigned but not a slot of this week`);

  const days = new Map<string, BookedSlot[]>();
  for (const slot of problem.slots) {
    if (slot.maxMembers > slot.societyMaxMembersPerEvent || slot.maxMembers < 1)
      violations.push(
        `${slot.classId}: ${slot.maxMembers} seats, society allows ${slot.societyMaxMembersPerEvent}`,
      );
    const trainerId = assignment.get(slot.classId);
    if (trainerId === undefined) continue;
    const trainer = trainers.get(trainerId);
    if (!trainer) {
      violations.push(`${slot.classId}: unknown trainer ${trainerId}`);
      continue;
    }
    const wanted = slot.classType.trim().toLowerCase();
    if (!trainer.specialization.map((s) => s.trim().toLowerCase()).includes(wanted))
      violations.push(`${slot.classId}: ${trainerId} does not teach ${slot.classType}`);
    const a = trainer.availability;
    if (a) {
      const weekday = WEEKDAY_OF_UTC_DAY[new Date(`${slot.date}T12:00:00Z`).getUTCDay()];
      const windows = [
        ...a.weekly.filter((w) => w.weekday === weekday),
        ...a.slots.filter((w) => w.date === slot.date),
      ].sort((p, q) => p.start - q.start);
      // Touching windows count as one (09-10 and 10-11 cover a 09:30-10:30 class).
      let covered = slot.start;
      for (const w of windows) if (w.start <= covered && w.end > covered) covered = w.end;
      if (a.unavailable.includes(slot.date) || covered < slot.end)
        violations.push(`${slot.classId}: outside ${trainerId}'s availability on ${slot.date}`);
    }
    const key = `${trainerId} ${slot.date}`;
    days.set(key, [...(days.get(key) ?? trainer.booked.filter((b) => b.date === slot.date)), slot]);
  }

  for (const [key, held] of days) {
    const trainer = trainers.get(key.split(' ')[0]!)!;
    if (held.length > trainer.maxClassesPerDay)
      violations.push(`${key}: ${held.length} classes, limit ${trainer.maxClassesPerDay}`);
    for (let i = 0; i < held.length; i++)
      for (let k = i + 1; k < held.length; k++) {
        const [p, q] = [held[i]!, held[k]!];
        const gap =
          p.societyId === q.societyId ? 0 : travelBufferMinutes(p.societyLocation, q.societyLocation);
        // As the claim compares them: in absolute time when both know their instants (societies
        // in different zones share a date, not a clock), else in local minutes.
        const [pi, qi] = [p.instants, q.instants];
        const apart =
          pi && qi
            ? pi.endsAt + gap * 60_000 <= qi.startsAt || qi.endsAt + gap * 60_000 <= pi.startsAt
            : p.end + gap <= q.start || q.end + gap <= p.start;
        if (!apart) violations.push(`${key}: ${p.classId} and ${q.classId} overlap (travel ${gap} min)`);
      }
  }
  return violations;
};
