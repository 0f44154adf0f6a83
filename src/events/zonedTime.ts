import { TZDate } from '@date-fns/tz';

/**
 * Zones Intl has accepted. @date-fns/tz does not refuse an unknown zone (it answers an invalid
 * date, or reads a stray "+05" in the name as a fixed offset), but callers rely on a RangeError
 * for one (an unknown zone is refused, not guessed), so each zone is checked once with Intl.
 * Bounded by the IANA zone list: only zones that exist are remembered.
 */
const knownZones = new Set<string>();

/** Throws a RangeError for a zone this runtime does not know. */
export const assertKnownZone = (timeZone: string): void => {
  if (knownZones.has(timeZone)) return;
  new Intl.DateTimeFormat('en-US', { timeZone });
  knownZones.add(timeZone);
};

/** An instant as the wall clock of an IANA zone reads it (getHours() etc. are that zone's). */
export const inZone = (instant: Date | number | string, timeZone: string): TZDate => {
  assertKnownZone(timeZone);
  return new TZDate(new Date(instant).getTime(), timeZone);
};

/**
 * The instant a wall-clock time in an IANA zone means (fields as for `new Date(y, m, d, h, min)`,
 * overflowing minutes roll over). In a DST gap (a wall time that never happens) it lands on the
 * wall time plus the jump (02:30 → 03:30); in an overlap, on the first of the two (New York
 * 01:30 → EDT; but in zones east of UTC, e.g. London 01:30 → GMT, the later one).
 */
export const zonedInstant = (
  timeZone: string,
  year: number,
  monthIndex: number,
  day: number,
  hours: number,
  minutes: number,
): Date => {
  assertKnownZone(timeZone);
  return new Date(new TZDate(year, monthIndex, day, hours, minutes, timeZone).getTime());
};
