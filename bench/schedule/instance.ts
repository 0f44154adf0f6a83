import type { Availability, Weekday } from '../../src/events/trainers/trainerEvents';
import type { PlanSlot, PlanTrainer, PlanningProblem } from '../../src/commands/schedules/planningProblem';
import { datesOfIsoWeek } from '../../src/commands/schedules/isoWeek';

/** A small deterministic PRNG (mulberry32), so every run of a seed plans the same week. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CLASS_TYPES = ['yoga', 'dance', 'zumba', 'pilates', 'aerobics'] as const;
const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind}00-${String(n).padStart(12, '0')}`;

export interface InstanceShape {
  readonly societies: number;
  readonly trainers: number;
  readonly slots: number;
  readonly seed: number;
}

/**
 * A city-sized week: societies and trainers' homes scattered over ~30 × 30 km (Noida-like),
 * trainers teaching one or two of five class types with morning and/or evening availability and
 * one day off, templates at the usual class hours, 30 % of them naming a preferred trainer.
 */
export const generateInstance = (shape: InstanceShape, isoWeek = '2030-W20'): PlanningProblem => {
  const random = prng(shape.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const point = () => ({ lat: 28.45 + random() * 0.27, lng: 77.2 + random() * 0.3 });
  const dates = datesOfIsoWeek(isoWeek);

  const societies = Array.from({ length: shape.societies }, (_, i) => ({
    id: uuid(1, i),
    at: point(),
    limit: pick([20, 25, 30]),
  }));
  const trainers: PlanTrainer[] = Array.from({ length: shape.trainers }, (_, i) => {
    const first = pick(CLASS_TYPES);
    const second = random() < 0.5 ? pick(CLASS_TYPES) : first;
    const dayOff = pick(WEEK);
    const mornings = random() < 0.75;
    const evenings = !mornings || random() < 0.6;
    const weekly: Availability['weekly'] = WEEK.filter((d) => d !== dayOff).flatMap((weekday) => [
      ...(mornings ? [{ weekday, start: 6 * 60, end: 12 * 60 }] : []),
      ...(evenings ? [{ weekday, start: 16 * 60, end: 21 * 60 + 30 }] : []),
    ]);
    return {
      trainerId: uuid(2, i),
      specialization: [...new Set([first, second])],
      availability: { weekly, slots: [], unavailable: [] },
      maxClassesPerDay: pick([2, 3, 3, 3, 4]),
      home: point(),
      booked: [],
    };
  });
  const slots: PlanSlot[] = Array.from({ length: shape.slots }, (_, i) => {
    const society = societies[i % societies.length]!;
    const classType = pick(CLASS_TYPES);
    const start = pick([6, 7, 8, 9, 10, 17, 18, 19, 20]) * 60 + pick([0, 0, 30]);
    const teachers = trainers.filter((t) => t.specialization.includes(classType));
    return {
      classId: uuid(3, i),
      societyId: society.id,
      templateId: uuid(4, i),
      name: `${classType} ${i}`,
      classType,
      date: dates[Math.floor(random() * 7)]!,
      start,
      end: start + pick([45, 60, 60]),
      maxMembers: Math.min(society.limit, pick([15, 20, 25])),
      societyMaxMembersPerEvent: society.limit,
      preferredTrainerId: random() < 0.3 && teachers.length ? pick(teachers).trainerId : null,
      societyLocation: society.at,
    };
  });
  return { slots, trainers };
};
