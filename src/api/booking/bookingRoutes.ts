import { Router } from 'express';
import { loadClassStaffing } from '../../commands/booking/classStaffing';
import { findBooking } from '../../projections/booking/bookingQueries';
import { findClass } from '../../projections/classes/classQueries';
import { findMember } from '../../projections/members/memberQueries';
import { canAdminister, forbidden, rolesOnly, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { answerCommand } from '../http/answerCommand';
import { API_BASE } from '../http/basePath';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { type ReadYourWrites } from '../http/readYourWrites';
import { idParams } from '../http/requestSchemas';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';
import { answerCancellation, answerWithBooking, toBooking } from './bookingAnswers';
import { bookingListRoutes } from './bookingListRoutes';
import { locateBooking } from './bookingLocation';
import {
  attendanceBody,
  bookingSchema,
  createBookingBody,
  eventBookingBody,
  memberBookingBody,
  memberBookingParams,
} from './bookingSchemas';
import { calendarRoutes } from './calendarRoutes';
import { staffsClass } from './classStaff';
import { BOOKING_ANSWER_READ_MODELS } from '../../projections/bookingAnswerReadModels';

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

const accepted = json(acceptedSchema, 'Recorded, read side catching up');

export const bookingRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex } = deps;
  const base = API_BASE;
  const { bookings } = deps;
  const readYourWrites: ReadYourWrites = {
    ...deps.readYourWrites,
    caughtUp: (position) => deps.readYourWrites.caughtUp(position, BOOKING_ANSWER_READ_MODELS),
  };

  /** The member themself, an admin of their society, a super_admin; to anyone else the member does not exist. */
  const visibleMember = async (principal: Principal, memberId: string) => {
    // A member asking for their own: the principal was just read, so who may see it is settled
    // without reading the member row again (one statement fewer on the commonest list).
    if (principal.role === 'member' && principal.userId === memberId) return;
    const member = await findMember(knex, memberId);
    if (!member || !(principal.userId === member.id || canAdminister(principal, member.society_id)))
      throw notFound('member', memberId);
    return member;
  };

  /** The class's trainer, an admin of its society, a super_admin. */
  const staffedClass = async (principal: Principal, classId: string) => {
    const row = await findClass(knex, classId);
    if (!row) throw notFound('class', classId);
    if (!staffsClass(principal, { societyId: row.society_id, trainerId: row.trainer_id }))
      throw forbidden('Only the class’s trainer or an admin of its society may see its bookings.');
    return row;
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
    return answerWithBooking(
      { knex, readYourWrites },
      { bookingId, memberId, outcome, fact: await bookings.classFact(input.classId) },
    );
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
    // From the write side: a booking answered 202 a moment ago is not in the read table yet.
    const placed = await locateBooking(deps, bookingId);
    if (!placed || (memberId !== undefined && placed.memberId !== memberId))
      throw notFound('booking', bookingId);
    const own = principal.userId === placed.memberId;
    const admin = canAdminister(principal, placed.societyId);
    if (!own && !admin) throw notFound('booking', bookingId);
    const outcome = await bookings.cancel(
      {
        classId: placed.classId,
        bookingId,
        canceledBy: principal.userId,
        byAdmin: admin && !own,
        societyId: placed.societyId,
      },
      commandMetadata(req, 'CancelBooking'),
    );
    return answerCancellation({ knex, readYourWrites }, bookingId, outcome);
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

  router.use(bookingListRoutes(deps, book, { visibleMember, staffedClass }));

  const staffAccess = rolesOnly(
    ['trainer', 'society_admin', 'super_admin'],
    'the class’s trainer or an admin of its society',
  );

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
      // The booking and its class's staff from the write side, as for a cancellation.
      const placed = await locateBooking(deps, params.id);
      if (!placed) throw notFound('booking', params.id);
      const staffing = await loadClassStaffing(deps.commands, placed.classId);
      if (!staffing) throw notFound('class', placed.classId);
      if (!staffsClass(principal, staffing))
        throw forbidden('Only the class’s trainer or an admin of its society may mark its attendance.');
      const outcome = await bookings.markAttendance(
        {
          classId: placed.classId,
          bookingId: placed.bookingId,
          attendance: body.attendance,
          markedBy: principal.userId,
        },
        commandMetadata(req, 'MarkAttendance'),
      );
      return answerCommand(readYourWrites, {
        id: placed.bookingId,
        position: outcome.position,
        load: () => findBooking(knex, placed.bookingId),
        present: toBooking,
      });
    },
  });

  router.use(calendarRoutes(deps, book, visibleMember));
  return router;
};
