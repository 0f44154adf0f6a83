import { idParams } from '../http/requestSchemas';
import { Router, type Request } from 'express';
import ical from 'ical-generator';
import {
  memberCalendar,
  trainerCalendar,
  type CalendarEntry,
} from '../../projections/booking/bookingQueries';
import { findTrainer } from '../../projections/trainers/trainerQueries';
import { forbidden, publicAccess, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { calendarQuery, calendarTokenSchema } from './bookingSchemas';
import { calendarTokenMatches, issueCalendarToken, type CalendarOwner } from './calendarFeeds';
import { API_BASE } from '../http/basePath';

/** Tokens are 43 characters (32 random bytes, base64url); anything else cannot be one. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * Where a calendar app reaches this API: PUBLIC_BASE_URL when set (behind a proxy the request's
 * own host is the proxy's view), else the scheme and Host of the request that asked for the URL.
 */
export const publicOrigin = (req: Request): string => {
  const configured = process.env.PUBLIC_BASE_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host')}`;
};

const calendarNotFound = (kind: CalendarOwner) =>
  new HttpProblem(
    404,
    'calendar-not-found',
    'Calendar not found',
    `No calendar answers to this URL: the token is wrong or was replaced. Ask for a new URL with POST …/${kind === 'member' ? 'members' : 'trainers'}/{id}/calendar-token and subscribe to that.`,
  );

/** Renders the feed: a calendar app cannot sign in, so each feed has its own secret token in the URL. */
const feed = (kind: CalendarOwner, name: string, entries: CalendarEntry[]) => {
  const calendar = ical({ name, prodId: { company: 'ArcFit', product: 'Roster' } });
  for (const e of entries)
    calendar.createEvent({
      id: `${e.id}@arcfit`,
      start: e.starts_at,
      end: e.ends_at,
      summary: `${e.name} (${e.class_type})`,
      location: [e.society_name, e.society_location].filter(Boolean).join(', ') || undefined,
      description: kind === 'member' ? 'Your confirmed ArcFit class' : 'A class you teach',
    });
  return calendar.toString();
};

/** Calendar feeds of members' bookings and trainers' classes: issue a URL, serve the feed. */
export const calendarRoutes = (
  deps: ApiDependencies,
  book: RouteBook,
  visibleMember: (principal: Principal, memberId: string) => Promise<unknown>,
): Router => {
  const router = Router();
  const { knex } = deps;
  const base = API_BASE;

  const routesOf = (kind: CalendarOwner, collection: 'members' | 'trainers') => {
    addRoute(router, book, base, {
      method: 'post',
      path: `/${collection}/{id}/calendar-token`,
      summary: `Issue the ${kind}’s calendar URL (a new one revokes the old)`,
      tags: ['Bookings'],
      access: signedIn(
        `the ${kind} themself${kind === 'member' ? ', an admin of their society' : ''} or super_admin`,
      ),
      params: idParams,
      responses: { 201: json(calendarTokenSchema, 'The new token and URL'), ...problems(400, 401, 403, 404) },
      handler: async ({ params, principal, req }) => {
        const p = principal;
        if (kind === 'member') await visibleMember(p, params.id);
        else {
          if (p.userId !== params.id && p.role !== 'super_admin')
            throw forbidden('Only the trainer themself may issue their calendar URL.');
          if (!(await findTrainer(knex, params.id)))
            throw new HttpProblem(
              404,
              'trainer-not-found',
              'Trainer not found',
              `No trainer profile ${params.id}`,
            );
        }
        const token = await issueCalendarToken(knex, kind, params.id);
        const path = `${base}/${collection}/${params.id}/calendar.ics?token=${token}`;
        return { status: 201, body: { token, url: `${publicOrigin(req)}${path}`, path } };
      },
    });

    addRoute(router, book, base, {
      method: 'get',
      path: `/${collection}/{id}/calendar.ics`,
      summary: `The ${kind}’s ${kind === 'member' ? 'confirmed classes' : 'classes'} as iCalendar (token in the URL)`,
      tags: ['Bookings'],
      access: publicAccess,
      params: idParams,
      query: calendarQuery,
      responses: {
        200: { description: 'text/calendar', content: { 'text/calendar': { schema: { type: 'string' } } } },
        ...problems(400, 404),
      },
      handler: async ({ params, query, res }) => {
        // A wrong, malformed or missing token looks exactly like a missing calendar: nothing to probe.
        const token = query.token ?? '';
        if (!TOKEN_SHAPE.test(token) || !(await calendarTokenMatches(knex, kind, params.id, token)))
          throw calendarNotFound(kind);
        const since = new Date(Date.now() - 30 * 24 * 3600_000);
        const entries =
          kind === 'member'
            ? await memberCalendar(knex, params.id, since)
            : await trainerCalendar(knex, params.id, since);
        // addRoute answers JSON; a calendar is text, so it is written here and the route only ends it.
        res.status(200).type('text/calendar; charset=utf-8');
        res.write(feed(kind, kind === 'member' ? 'ArcFit bookings' : 'ArcFit classes', entries));
        return { status: 200 };
      },
    });
  };
  routesOf('member', 'members');
  routesOf('trainer', 'trainers');
  return router;
};
