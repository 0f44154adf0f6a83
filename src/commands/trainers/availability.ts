import { WEEKDAYS, type Availability, type Weekday } from '../../events/trainers/trainerEvents';

export interface Window {
  readonly start: number;
  readonly end: number;
}

const MINUTES_PER_DAY = 24 * 60;

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** 'HH:mm' ↔ minutes since midnight; the API speaks the former, the rules the latter. */
export const formatMinute = hhmm;

/**
 * What is wrong with an availability, in words (empty when nothing): every window starts before
 * it ends, inside one day, and windows of one weekday or one date do not overlap.
 */
export const availabilityProblems = (availability: Availability): string[] => {
  const problems: string[] = [];
  const groups = new Map<string, Window[]>();
  const add = (key: string, label: string, w: Window) => {
    if (!(w.start >= 0 && w.end <= MINUTES_PER_DAY && w.start < w.end)) {
      problems.push(`${label}: start must be before end, within one day`);
      return;
    }
    groups.set(key, [...(groups.get(key) ?? []), w]);
  };
  availability.weekly.forEach((w, i) => add(`weekly:${w.weekday}`, `weekly.${i}`, w));
  availability.slots.forEach((s, i) => add(`slots:${s.date}`, `slots.${i}`, s));
  for (const [key, windows] of groups) {
    const sorted = [...windows].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.start < sorted[i - 1]!.end) {
        const [kind, day] = key.split(':');
        problems.push(
          `${kind} on ${day}: ${hhmm(sorted[i - 1]!.start)}-${hhmm(sorted[i - 1]!.end)} overlaps ${hhmm(sorted[i]!.start)}-${hhmm(sorted[i]!.end)}`,
        );
      }
    }
  }
  return problems;
};

/** The weekday of a calendar date ('YYYY-MM-DD'); a date has no time zone, so UTC is exact. */
export const weekdayOf = (date: string): Weekday => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(day + 6) % 7]!;
};

/** The windows a trainer offers on a date, merged where they touch (09-10 and 10-11 is 09-11). */
export const windowsOn = (availability: Availability, date: string): Window[] => {
  if (availability.unavailable.includes(date)) return [];
  const weekday = weekdayOf(date);
  const windows = [
    ...availability.weekly.filter((w) => w.weekday === weekday),
    ...availability.slots.filter((s) => s.date === date),
  ]
    .map(({ start, end }) => ({ start, end }))
    .sort((a, b) => a.start - b.start);
  const merged: Window[] = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, w.end) };
    else merged.push(w);
  }
  return merged;
};
