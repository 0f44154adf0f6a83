import type { Knex } from 'knex';
import type { BookingOutcome } from '../../commands/booking/bookingCommands';
import type { ClassFact } from '../../commands/booking/classFacts';
import type { CommandOutcome } from '../../commands/handling/commandHandler';
import type { ClassSeatsEvent } from '../../commands/booking/classSeatsDecider';
import type {
  BookingCanceled,
  BookingConfirmed,
  BookingWaitlisted,
} from '../../events/booking/bookingEvents';
import { localDateOf } from '../../events/classes/classTime';
import { formatPosition } from '../../events/store/position';
import { findBooking, type BookingRow } from '../../projections/booking/bookingQueries';
import { acceptedAnswer, positionHeaders } from '../http/acceptedAnswer';
import { answerCommand } from '../http/answerCommand';
import { API_BASE } from '../http/basePath';
import { POSITION_HEADER, type ReadYourWrites } from '../http/readYourWrites';
import type { RouteResult } from '../http/route';
import type { z } from '../openapi/zod';
import type { bookingSchema } from './bookingSchemas';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A booking as every booking answer and list shows it, from its read row. */
export const toBooking = (row: BookingRow) => ({
  id: row.id,
  member_id: row.member_id,
  event_id: row.event_id,
  event_name: row.event_name,
  starts_at: iso(row.starts_at),
  booking_date: row.booking_date,
  status: row.status,
  waitlist_position: row.waitlist_position,
  attendance: row.attendance,
  canceled_at: iso(row.canceled_at),
  cancel_reason: row.cancel_reason,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

/**
 * The booking's answer, built from the facts the command recorded (no read after the wait),
 * once the booking read models include them; a retry whose facts were recorded before reads
 * the row. Past the wait: 202 with the position, as every command answers.
 */
export const answerWithBooking = async (
  context: { knex: Knex; readYourWrites: ReadYourWrites },
  booking: { bookingId: string; memberId: string; outcome: BookingOutcome; fact: ClassFact | undefined },
): Promise<RouteResult> => {
  const { knex, readYourWrites } = context;
  const { bookingId, memberId, outcome, fact } = booking;
  const location = `${API_BASE}/members/${memberId}/bookings`;
  const placed = outcome.events.find(
    (e): e is BookingConfirmed | BookingWaitlisted =>
      (e.type === 'BookingConfirmed' || e.type === 'BookingWaitlisted') && e.data.bookingId === bookingId,
  );
  if (!placed || !fact || outcome.replayed)
    return answerCommand(readYourWrites, {
      id: bookingId,
      position: outcome.position,
      location,
      load: () => findBooking(knex, bookingId),
      present: toBooking,
    });
  const headers: Record<string, string> = { Location: location };
  if (outcome.position) headers[POSITION_HEADER] = formatPosition(outcome.position);
  if (!(await readYourWrites.caughtUp(outcome.position)))
    return {
      status: 202,
      headers,
      body: { status: 'accepted', id: bookingId, position: headers[POSITION_HEADER] ?? '' },
    };
  const d = placed.data;
  return {
    status: 201,
    headers,
    body: {
      id: bookingId,
      member_id: d.memberId,
      event_id: d.classId,
      event_name: fact.name,
      starts_at: new Date(fact.startsAt).toISOString(),
      booking_date: localDateOf(new Date(d.bookedAt), fact.timezone),
      status: placed.type === 'BookingConfirmed' ? 'confirmed' : 'waitlist',
      waitlist_position: placed.type === 'BookingWaitlisted' ? placed.data.position : null,
      attendance: null,
      canceled_at: null,
      cancel_reason: null,
      created_at: d.bookedAt,
      updated_at: d.bookedAt,
    } satisfies z.infer<typeof bookingSchema>,
  };
};

/** What a cancellation answers: the booking's id, its status and when it last changed. */
export const toCanceled = (row: BookingRow) => ({
  id: row.id,
  status: row.status,
  updated_at: row.updated_at.toISOString(),
});

/**
 * A cancellation's answer, built from the BookingCanceled it recorded (no read after the wait):
 * the bookings read model sets the row's `updated_at` to the event's `canceledAt`
 * (bookingFacts.changedAt). Canceling again (nothing appended) and a retry whose cancellation was
 * recorded before read the row, as the booking's answer does. Past the wait: 202 with the position.
 */
export const answerCancellation = async (
  context: { knex: Knex; readYourWrites: ReadYourWrites },
  bookingId: string,
  outcome: CommandOutcome<ClassSeatsEvent>,
): Promise<RouteResult> => {
  const { knex, readYourWrites } = context;
  const canceled = outcome.events.find(
    (e): e is BookingCanceled => e.type === 'BookingCanceled' && e.data.bookingId === bookingId,
  );
  if (!canceled || outcome.replayed)
    return answerCommand(readYourWrites, {
      id: bookingId,
      position: outcome.position,
      load: () => findBooking(knex, bookingId),
      present: toCanceled,
    });
  if (!(await readYourWrites.caughtUp(outcome.position))) return acceptedAnswer(bookingId, outcome.position);
  return {
    status: 200,
    headers: positionHeaders(outcome.position),
    body: {
      id: bookingId,
      status: 'canceled',
      updated_at: canceled.data.canceledAt,
    } satisfies ReturnType<typeof toCanceled>,
  };
};
