import { idParams, pageQuery, readQuery } from '../http/requestSchemas';
import { Router, type Request } from 'express';
import type { BookingOutcome } from '../../commands/booking/bookingCommands';
import type { ClassFact } from '../../commands/booking/classFacts';
import type { BookingConfirmed, BookingWaitlisted } from '../../events/booking/bookingEvents';
import { formatPosition } from '../../events/store/position';
import {
  classBookings,
  classWaitlist,
  findBooking,
  memberBookings,
  type BookingRow,
} from '../../projections/booking/bookingQueries';
import { findClass } from '../../projections/classes/classQueries';
import { findMember } from '../../projections/members/memberQueries';
import { canAdminister, forbidden, rolesOnly, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { answerCommand } from '../http/answerCommand';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { decodeCursor, encodeCursor } from '../http/keysetCursor';
import { json, problems } from '../http/responses';
import { listAnswer } from '../http/listAnswer';
import { localDateOf } from '../../events/classes/classTime';
import { addRoute, type RouteBook, type RouteResult } from '../http/route';
import { POSITION_HEADER, type ReadYourWrites } from '../http/readYourWrites';
import type { z } from '../openapi/zod';
import { acceptedSchema } from '../societies/societySchemas';
import {
  attendanceBody,
  bookingListSchema,
  bookingSchema,
  createBookingBody,
  eventBookingBody,
  eventBookingsSchema,
  eventIdParams,
  memberBookingBody,
  memberBookingParams,
  memberIdPathParams,
  waitlistSchema,
} from './bookingSchemas';
import { calendarRoutes } from './calendarRoutes';
import { API_BASE } from '../http/basePath';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

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

const notFound = (what: 'booking' | 'member' | 'class', id: string, status: 400 | 404 = 404) =>
  what === 'class'
    ? new HttpProblem(
        status,
        'class-not-found',
        'Class not found',
        `No class (event) ${id}: check event_id (GET /events lists your society’s classes).`,
      )
    : new HttpProblem(
        404,
        `${what}-not-found`,
        `${what === 'booking' ? 'Booking' : 'Member'} not found`,
        `No ${what} ${id}`,
      );

/**
 * The read models booking answers and booking GETs are built from: a booking's answer waits for
 * these, not for every read model. Measured on the hot class, waiting for the slowest consumer
 * (notifications, which renders messages) tripled the p99. Other reads still honour the answer's
 * position through `?min_position=`.
 */
const ANSWERED_FROM = ['bookings', 'classes'];

const accepted = json(acceptedSchema, 'Recorded, read side catching up');

export const bookingRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex } = deps;
  const base = API_BASE;
  const { bookings } = deps;
  const readYourWrites: ReadYourWrites = {
    ...deps.readYourWrites,
    caughtUp: (position) => deps.readYourWrites.caughtUp(position, ANSWERED_FROM),
  };

  /** The member themself, an admin of their society, a super_admin; to anyone else the member does not exist. */
  const visibleMember = async (principal: Principal, memberId: string) => {
    const member = await findMember(knex, memberId);
    if (!member || !(principal.userId === member.id || canAdminister(principal, member.society_id)))
      throw notFound('member', memberId);
    return member;
  };

  /** The class's trainer, an admin of its society, a super_admin. */
  const staffedClass = async (principal: Principal, classId: string) => {
    const row = await findClass(knex, classId);
    if (!row) throw notFound('class', classId);
    const isTrainer = principal.role === 'trainer' && row.trainer_id === principal.userId;
    if (!isTrainer && !canAdminister(principal, row.society_id))
      throw forbidden('Only the class’s trainer or an admin of its society may see its bookings.');
    return row;
  };

  /**
   * The booking's answer, built from the facts the command recorded (no read after the wait),
   * once the booking read models include them; a retry whose facts were recorded before reads
   * the row. Past the wait: 202 with the position, as every command answers.
   */
  const answerWithBooking = async (
    bookingId: string,
    memberId: string,
    outcome: BookingOutcome,
    fact: ClassFact | undefined,
  ): Promise<RouteResult> => {
    const placed = outcome.events.find(
      (e): e is BookingConfirmed | BookingWaitlisted =>
        (e.type === 'BookingConfirmed' || e.type === 'BookingWaitlisted') && e.data.bookingId === bookingId,
    );
    if (!placed || !fact || outcome.replayed)
      return answerCommand(readYourWrites, {
        id: bookingId,
        position: outcome.position,
        location: `${base}/members/${memberId}/bookings`,
        load: () => findBooking(knex, bookingId),
        present: toBooking,
      });
    const headers: Record<string, string> = { Location: `${base}/members/${memberId}/bookings` };
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

  /**
   * A member books for themself; an admin of the class's society books for one of its members.
   * Eligibility, the weekly limit and seats are decided by the commands, not here.
   */
  const bookFor = async (
    principal: Principal,
    input: { classId: string; memberId: string | undefined; classNamedIn: 'path' | 'body' },
    req: Parameters<typeof commandMetadata>[0],
  ) => {
    let memberId = input.memberId;
    const fact = await bookings.classFact(input.classId);
    // The spec answers 400 for an unknown event named in the body; a path naming none is a 404.
    if (!fact) throw notFound('class', input.classId, input.classNamedIn === 'body' ? 400 : 404);
    if (principal.role === 'member') {
      if (memberId !== undefined && memberId !== principal.userId)
        throw forbidden('A member books for themself only.');
      memberId = principal.userId;
    } else {
      if (!canAdminister(principal, fact.societyId))
        throw forbidden('Only an admin of the class’s society may book for a member.');
      if (!memberId)
        throw new HttpProblem(400, 'validation-error', 'The request is not valid', 'member_id is required');
    }
    const metadata = commandMetadata(req, 'BookClass');
    const bookingId = newEntityId(metadata);
    const outcome = await bookings.book(
      { bookingId, classId: input.classId, memberId, bookedBy: principal.userId },
      metadata,
    );
    return answerWithBooking(bookingId, memberId, outcome, await bookings.classFact(input.classId));
  };

  const bookingRefusals = problems(400, 401, 403, 404, 409, 422, 503);
  const bookingAccess = rolesOnly(
    ['member', 'society_admin', 'super_admin'],
    'a member for themself; an admin of the class’s society for its members',
  );
  const created = { 201: json(bookingSchema, 'Booked: confirmed, or on the waitlist'), 202: accepted };
  const idempotencyNote = 'Send Idempotency-Key to make a retry safe: the same key never books twice.';

  addRoute(router, book, base, {
    method: 'post',
    path: '/bookings',
    summary: `Book a class (the spec’s event). ${idempotencyNote}`,
    tags: ['Bookings'],
    access: bookingAccess,
    body: createBookingBody,
    responses: { ...created, ...bookingRefusals },
    handler: ({ body, req, principal }) =>
      bookFor(principal, { classId: body.event_id, memberId: body.member_id, classNamedIn: 'body' }, req),
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/members/{id}/bookings',
    summary: `Book a class for a member. ${idempotencyNote}`,
    tags: ['Bookings', 'Members'],
    access: bookingAccess,
    params: idParams,
    body: memberBookingBody,
    responses: { ...created, ...bookingRefusals },
    handler: ({ params, body, req, principal }) =>
      bookFor(principal, { classId: body.event_id, memberId: params.id, classNamedIn: 'body' }, req),
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/events/{id}/bookings',
    summary: `Book a member into a class. ${idempotencyNote}`,
    tags: ['Bookings', 'Events'],
    access: bookingAccess,
    params: idParams,
    body: eventBookingBody,
    responses: { ...created, ...bookingRefusals },
    handler: ({ params, body, req, principal }) =>
      bookFor(principal, { classId: params.id, memberId: body.member_id, classNamedIn: 'path' }, req),
  });

  /** The booking's member cancels until the cutoff; an admin of its society (or super_admin) any time. */
  const cancel = async (
    principal: Principal,
    bookingId: string,
    memberId: string | undefined,
    req: Parameters<typeof commandMetadata>[0],
  ) => {
    const row = await findBooking(knex, bookingId);
    if (!row || (memberId !== undefined && row.member_id !== memberId)) throw notFound('booking', bookingId);
    const own = principal.userId === row.member_id;
    const admin = canAdminister(principal, row.society_id);
    if (!own && !admin) throw notFound('booking', bookingId);
    const outcome = await bookings.cancel(
      { classId: row.event_id, bookingId, canceledBy: principal.userId, byAdmin: admin && !own },
      commandMetadata(req, 'CancelBooking'),
    );
    const answer = await answerCommand(readYourWrites, {
      id: bookingId,
      position: outcome.position,
      load: () => findBooking(knex, bookingId),
      present: (b) => ({ id: b.id, status: b.status, updated_at: b.updated_at.toISOString() }),
    });
    return answer;
  };
  const canceledSchema = json(
    bookingSchema.pick({ id: true, status: true, updated_at: true }),
    'Canceled (canceling again is a no-op)',
  );
  const cancelAccess = signedIn(
    'the booking’s member (until the cutoff), an admin of its society; others get 404',
  );

  addRoute(router, book, base, {
    method: 'delete',
    path: '/bookings/{id}',
    summary: 'Cancel a booking (members until 1 hour before the start; a freed seat goes to the waitlist)',
    tags: ['Bookings'],
    access: cancelAccess,
    params: idParams,
    responses: { 200: canceledSchema, 202: accepted, ...bookingRefusals },
    handler: ({ params, req, principal }) => cancel(principal, params.id, undefined, req),
  });

  addRoute(router, book, base, {
    method: 'delete',
    path: '/members/{id}/bookings/{booking_id}',
    summary: 'Cancel one of a member’s bookings',
    tags: ['Bookings', 'Members'],
    access: cancelAccess,
    params: memberBookingParams,
    responses: { 200: canceledSchema, 202: accepted, ...bookingRefusals },
    handler: ({ params, req, principal }) => cancel(principal, params.booking_id, params.id, req),
  });

  const listForMember = async (
    req: Request,
    principal: Principal,
    memberId: string,
    query: { limit: number; cursor?: string },
  ) => {
    await visibleMember(principal, memberId);
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await memberBookings(knex, {
      memberId,
      limit: query.limit + 1,
      before: before && { at: before.createdAt, id: before.id },
    });
    const shown = rows.slice(0, query.limit);
    const last = shown[shown.length - 1];
    return listAnswer(
      req,
      shown.map(toBooking),
      rows.length > query.limit && last ? encodeCursor({ created_at: last.booked_at, id: last.id }) : null,
    );
  };
  const listAccess = signedIn(
    'the member themself, an admin of their society or super_admin; others get 404',
  );
  const listResponses = { 200: json(bookingListSchema, 'Latest first'), ...problems(400, 401, 404, 503) };

  addRoute(router, book, base, {
    method: 'get',
    // The spec's /bookings/{member_id}: OpenAPI allows one parameter name per path, and
    // DELETE /bookings/{id} holds this one. Same URLs, same answers.
    path: '/bookings/{id}',
    summary: 'A member’s bookings, latest first',
    description: 'The spec’s `GET /bookings/{member_id}`: here `id` is the member’s id.',
    tags: ['Bookings'],
    access: listAccess,
    params: memberIdPathParams,
    query: pageQuery,
    responses: listResponses,
    handler: async ({ params, query, req, principal }) => {
      return listForMember(req, principal, params.id, query);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/members/{id}/bookings',
    summary: 'A member’s bookings, latest first',
    tags: ['Bookings', 'Members'],
    access: listAccess,
    params: idParams,
    query: pageQuery,
    responses: listResponses,
    handler: async ({ params, query, req, principal }) => {
      return listForMember(req, principal, params.id, query);
    },
  });

  const staffAccess = rolesOnly(
    ['trainer', 'society_admin', 'super_admin'],
    'the class’s trainer or an admin of its society',
  );

  addRoute(router, book, base, {
    method: 'get',
    path: '/bookings/event/{event_id}',
    summary: 'A class’s bookings: confirmed, then the waitlist in order, then canceled',
    tags: ['Bookings', 'Events'],
    access: staffAccess,
    params: eventIdParams,
    query: readQuery,
    responses: { 200: json(eventBookingsSchema, 'The bookings'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, req, principal }) => {
      const row = await staffedClass(principal, params.event_id);
      return listAnswer(req, (await classBookings(knex, row.id)).map(toBooking), null);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}/waitlist',
    summary: 'Who waits for a seat in a class, in order',
    tags: ['Bookings', 'Events'],
    access: staffAccess,
    params: idParams,
    query: readQuery,
    responses: {
      200: json(waitlistSchema, 'The waitlist, position 1 first'),
      ...problems(400, 401, 403, 404, 503),
    },
    handler: async ({ params, req, principal }) => {
      const row = await staffedClass(principal, params.id);
      const waitlist = (await classWaitlist(knex, row.id)).map((b) => ({
        id: b.id,
        member_id: b.member_id,
        status: 'waitlist' as const,
        position: b.waitlist_position!,
      }));
      return listAnswer(req, waitlist, null);
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/bookings/{id}/attendance',
    summary: 'Mark a confirmed booking present or no-show, once the class has started',
    tags: ['Bookings'],
    access: staffAccess,
    params: idParams,
    body: attendanceBody,
    responses: { 200: json(bookingSchema, 'Marked'), 202: accepted, ...bookingRefusals },
    handler: async ({ params, body, req, principal }) => {
      const row = await findBooking(knex, params.id);
      if (!row) throw notFound('booking', params.id);
      await staffedClass(principal, row.event_id);
      const outcome = await bookings.markAttendance(
        {
          classId: row.event_id,
          bookingId: row.id,
          attendance: body.attendance,
          markedBy: principal.userId,
        },
        commandMetadata(req, 'MarkAttendance'),
      );
      return answerCommand(readYourWrites, {
        id: row.id,
        position: outcome.position,
        load: () => findBooking(knex, row.id),
        present: toBooking,
      });
    },
  });

  router.use(calendarRoutes(deps, book, visibleMember));
  return router;
};
