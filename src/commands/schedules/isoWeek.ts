/**
 * ISO 8601 weeks ('2026-W49', Monday to Sunday) over calendar dates. A date has no time zone,
 * so UTC arithmetic on dates is exact; which date it is *now* is the society's question
 * (localDateOf), asked by the caller.
 */

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dateMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** The Monday of ISO week 1: the week holding the year's first Thursday (so 4 January). */
const week1Monday = (year: number) => {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
};

export const weeksInYear = (year: number): number =>
  Math.round((week1Monday(year + 1) - week1Monday(year)) / (7 * DAY_MS));

/** True for a well-formed ISO week that exists ('2026-W53' does, '2025-W53' does not). */
export const isIsoWeek = (text: string): boolean => {
  const m = ISO_WEEK.exec(text);
  if (!m) return false;
  const week = Number(m[2]);
  return week >= 1 && week <= weeksInYear(Number(m[1]));
};

/** The seven dates of an ISO week, Monday first. */
export const datesOfIsoWeek = (isoWeek: string): string[] => {
  const m = ISO_WEEK.exec(isoWeek);
  if (!m || !isIsoWeek(isoWeek)) throw new RangeError(`not an ISO week: ${isoWeek}`);
  const monday = week1Monday(Number(m[1])) + (Number(m[2]) - 1) * 7 * DAY_MS;
  return Array.from({ length: 7 }, (_, i) => toDate(monday + i * DAY_MS));
};

/** The ISO week a calendar date belongs to. */
export const isoWeekOf = (date: string): string => {
  const ms = dateMs(date);
  const thursday = ms + (3 - ((new Date(ms).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - week1Monday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
};

export const addDays = (date: string, days: number): string => toDate(dateMs(date) + days * DAY_MS);
