import { Router, type Request } from 'express';
import { classBookings, classWaitlist, memberBookings } from '../../projections/booking/bookingQueries';
import { rolesOnly, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { API_BASE } from '../http/basePath';
import { decodeCursor, encodeCursor } from '../http/keysetCursor';
import { listAnswer } from '../http/listAnswer';
import { idParams, pageQuery, readQuery } from '../http/requestSchemas';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { toBooking } from './bookingAnswers';
import {
  bookingListSchema,
  eventBookingsSchema,
  eventIdParams,
  memberIdPathParams,
  waitlistSchema,
} from './bookingSchemas';

/** Who may read which list; each throws the refusal (404 or 403) for anyone else. */
export interface BookingListAccess {
  /** The member themself, an admin of their society, a super_admin; to anyone else the member does not exist. */
  visibleMember(principal: Principal, memberId: string): Promise<unknown>;
  /** The class's trainer, an admin of its society, a super_admin. */
  staffedClass(principal: Principal, classId: string): Promise<{ id: string }>;
}

/** Booking lists, read from the read side: a member's bookings, a class's bookings and waitlist. */
export const bookingListRoutes = (
  deps: ApiDependencies,
  book: RouteBook,
  access: BookingListAccess,
): Router => {
  const router = Router();
  const { knex } = deps;
  const base = API_BASE;

  const listForMember = async (
    req: Request,
    principal: Principal,
    memberId: string,
    query: { limit: number; cursor?: string },
  ) => {
    await access.visibleMember(principal, memberId);
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
      const row = await access.staffedClass(principal, params.event_id);
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
      const row = await access.staffedClass(principal, params.id);
      const waitlist = (await classWaitlist(knex, row.id)).map((b) => ({
        id: b.id,
        member_id: b.member_id,
        status: 'waitlist' as const,
        position: b.waitlist_position!,
      }));
      return listAnswer(req, waitlist, null);
    },
  });

  return router;
};
