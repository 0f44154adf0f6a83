import { localDateOf, localToInstant } from '../../events/classes/classTime';

/** 'yyyy-mm-dd' plus whole calendar days (no zone: calendar arithmetic only). */
const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The instant a subscription ends: midnight in the society's zone, `days` calendar days after
 * the local day `from` falls on. Counted in local days, not 24-hour blocks, so a DST change
 * neither steals nor adds an hour of membership, and the day of activation counts as day one.
 */
export const endOfPeriod = (from: Date, days: number, timeZone: string): Date =>
  localToInstant(addDays(localDateOf(from, timeZone), days), 0, timeZone);

/** Moves an end back by whole local days (a partial refund), landing on a local midnight. */
export const daysBefore = (end: Date, days: number, timeZone: string): Date =>
  localToInstant(addDays(localDateOf(end, timeZone), -days), 0, timeZone);
