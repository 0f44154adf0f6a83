/** A timestamptz column's value in a set-based projection: ISO text from event data, or a Date as pg loaded it. */
export type Instant = string | Date;

/** A DATE column's value in a set-based projection: text, or a Date as pg loaded it (see dateText). */
export type DateColumn = string | Date;

const twoDigits = (n: number): string => String(n).padStart(2, '0');

/**
 * A DATE column as `YYYY-MM-DD` text, ready to be written back. Why: pg loads a DATE as a Date at
 * the server's local midnight, and through JSON (RowCache's upsert) that instant would land on the
 * previous day anywhere east of UTC.
 */
export const dateText = (value: DateColumn): string =>
  typeof value === 'string'
    ? value
    : `${value.getFullYear()}-${twoDigits(value.getMonth() + 1)}-${twoDigits(value.getDate())}`;
