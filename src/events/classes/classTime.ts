/**
 * Class times are wall-clock local to the society (DESIGN.md, "Times"). These pure helpers turn
 * them into instants with the society's IANA zone through Intl: no clock reads, no packages.
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

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string) => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
};

/** How far the zone's wall clock is ahead of UTC at this instant, in milliseconds. */
const zoneOffsetMs = (instantMs: number, timeZone: string): number => {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instantMs / 1000) * 1000;
};

/**
 * The instant a society-local date and minute mean. Two passes because the offset depends on
 * the instant we are looking for; in a DST gap (a wall time that never happens) this lands on
 * the wall time plus the jump (02:30 → 03:30), in an overlap on the earlier of the two.
 */
export const localToInstant = (date: string, minute: number, timeZone: string): Date => {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d) + minute * 60_000;
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  return new Date(second + zoneOffsetMs(second, timeZone) === wall ? second : first);
};

/** The society-local calendar date of an instant. */
export const localDateOf = (instant: Date, timeZone: string): string => {
  const p = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
};
