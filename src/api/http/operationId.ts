/**
 * OpenAPI operationIds, which client generators turn into method names: derived from the method
 * and the path so every route has one without anyone having to invent it, e.g.
 * `get /bookings/{id}/attendance` → `getBookingsByIdAttendance`.
 */

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** `member_id` → `MemberId`; `calendar.ics` → `CalendarIcs`. */
const camelWords = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(capitalised)
    .join('');

const segmentWords = (segment: string) => {
  const parameter = /^\{(\w+)\}$/.exec(segment);
  return parameter ? `By${camelWords(parameter[1]!)}` : camelWords(segment);
};

export const deriveOperationId = (method: string, path: string): string =>
  method.toLowerCase() + path.split('/').filter(Boolean).map(segmentWords).join('');

/** What a generator can use as an identifier: a letter, then letters and digits. */
export const OPERATION_ID = /^[a-z][A-Za-z0-9]*$/;
