import { format } from 'date-fns';
import { inZone, zonedInstant } from '../zonedTime';

/**
 * Class times are wall-clock local to the society (DESIGN.md, "Times"). These pure helpers turn
 * them into instants with the society's IANA zone (@date-fns/tz, see zonedTime.ts): no clock
 * reads. An unknown zone throws a RangeError.
 */

/** '09:00', '9:05', '10:00 AM', '12:30 pm' → minutes since midnight; null when not a time. */
export const parseClockTime = (text: string): number | null => {
  const m = /^\s*(\d{1,2}):([0-5]\d)\s*(?:([AaPp])[Mm])?\s*$/.exec(text);
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  const meridiem = m[3]?.toLowerCase();
  if (meridiem) {
    if (hours < 1 || hours > 12) return null;
    return ((hours % 12) + (meridiem === 'p' ? 12 : 0)) * 60 + minutes;
  }
  if (hours === 24 && minutes === 0) return 1440;
  return hours < 24 ? hours * 60 + minutes : null;
};

/**
 * The instant a society-local date and minute mean. In a DST gap (a wall time that never happens)
 * this lands on the wall time plus the jump (02:30 → 03:30); in an overlap, on the earlier of the
 * two west of UTC (New York) and the later east of it (London), as it always has.
 */
export const localToInstant = (date: string, minute: number, timeZone: string): Date => {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return zonedInstant(timeZone, y, mo - 1, d, Math.floor(minute / 60), minute % 60);
};

/** The society-local calendar date of an instant. */
export const localDateOf = (instant: Date, timeZone: string): string =>
  format(inZone(instant, timeZone), 'yyyy-MM-dd');

/** The society-local minute since midnight of an instant (seconds dropped). */
export const localMinuteOf = (instant: Date, timeZone: string): number => {
  const local = inZone(instant, timeZone);
  return local.getHours() * 60 + local.getMinutes();
};
