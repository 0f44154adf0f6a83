import { getISOWeek, getISOWeekYear, parseISO } from 'date-fns';

/**
 * The ISO week (`2026-W10`) a class's society-local date falls in: the week its booking counts
 * against. Classes are stored with their society-local date, so the week is taken in the society's
 * time zone without converting instants (parseISO reads a bare date as a calendar day).
 */
export const bookingWeekOf = (localDate: string): string => {
  const day = parseISO(localDate);
  return `${getISOWeekYear(day)}-W${String(getISOWeek(day)).padStart(2, '0')}`;
};
