import { idParams } from '../http/requestSchemas';
import { Router } from 'express';
import { answerWithRow } from '../http/answerWithRow';
import { decodeCursor, encodeCursor } from '../http/keysetCursor';
import { listAnswer } from '../http/listAnswer';
import { asMoney } from '../http/moneyJson';
import { changeSocietyDetails, registerSociety } from '../../commands/societies/societyCommands';
import { findSociety, listSocieties, type SocietyRow } from '../../projections/societies/societyQueries';
import { HttpProblem } from '../http/errorHandler';
import { addRoute, type RouteBook } from '../http/route';
import { problems } from '../http/responses';
import {
  administeredSocieties,
  assertAdministers,
  canAdminister,
  publicAccess,
  rolesOnly,
} from '../auth/access';
import type { Principal } from '../auth/principal';
import { grantSocietyAdmin } from '../../commands/societies/societyCommands';
import { findUser } from '../../projections/identity/userQueries';
import type { ApiDependencies } from '../dependencies';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { z } from '../openapi/zod';
import {
  acceptedSchema,
  createSocietyBody,
  listSocietiesQuery,
  societyListSchema,
  societySchema,
  updateSocietyBody,
} from './societySchemas';
import { API_BASE } from '../http/basePath';

/** Revenue under both of the spec's names (`revenue`, and the schema's `revenue_details`), as a number. */
const revenueFields = (row: SocietyRow) => {
  // The list reads revenue for the caller's own societies only: a miss here is a bug, not a 0.
  if (row.revenue_details === null) throw new Error(`revenue of society ${row.id} was not read`);
  const revenue = asMoney(row.revenue_details) ?? 0;
  return { revenue, revenue_details: revenue };
};

/**
 * A society as the caller may see it. Revenue is for the society's own admins and super admins:
 * anyone else (anonymous, members, trainers, other societies' admins) gets the society without it.
 */
const toSociety = (row: SocietyRow, showRevenue: boolean) => ({
  id: row.id,
  name: row.name,
  location: row.location,
  max_members_per_event: row.max_members_per_event,
  capacity: row.capacity,
  ...(showRevenue ? revenueFields(row) : {}),
  currency: row.currency,
  timezone: row.timezone,
  latitude: row.latitude,
  longitude: row.longitude,
  weekly_booking_limit: row.weekly_booking_limit,
  cancellation_cutoff_minutes: row.cancellation_cutoff_minutes,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

const societyFor = (principal: Principal | undefined) => (row: SocietyRow) =>
  toSociety(row, principal !== undefined && canAdminister(principal, row.id));

const adminGrantSchema = z
  .object({ society_id: z.string().uuid(), user_id: z.string().uuid() })
  .openapi('SocietyAdmin');

const etag = (row: SocietyRow) => `"${row.version}"`;

const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^"\d+"$/, 'must be an ETag this API returned, e.g. "3"')
    .optional()
    .openapi({ description: 'Refuse the change (412) unless the society is still at this version' }),
});

export const societyRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;

  /** A command's answer: the row as the read side now shows it, or 202 with the position to wait for. */
  const answerWithSociety = answerWithRow(readYourWrites, {
    path: (id) => `/societies/${id}`,
    load: (id) => findSociety(knex, id),
    // Only the society's admins (its creator among them) and super admins change one.
    present: (row) => toSociety(row, true),
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/societies',
    summary: 'Create a society',
    tags: ['Societies'],
    access: rolesOnly(['society_admin', 'super_admin'], 'a society admin who creates one administers it'),
    body: createSocietyBody,
    responses: {
      201: { description: 'Created', content: { 'application/json': { schema: societySchema } } },
      202: {
        description: 'Recorded, read side catching up',
        content: { 'application/json': { schema: acceptedSchema } },
      },
      ...problems(400, 409, 503),
    },
    handler: async ({ body, req, principal }) => {
      const metadata = commandMetadata(req, 'RegisterSociety');
      const societyId = newEntityId(metadata);
      const outcome = await registerSociety(
        commands,
        {
          societyId,
          registeredBy: principal.role === 'society_admin' ? principal.userId : null,
          details: {
            name: body.name,
            location: body.location,
            maxMembersPerEvent: body.max_members_per_event,
            capacity: body.capacity,
            timezone: body.timezone,
            latitude: body.latitude ?? null,
            longitude: body.longitude ?? null,
            weeklyBookingLimit: body.weekly_booking_limit,
            cancellationCutoffMinutes: body.cancellation_cutoff_minutes,
          },
        },
        metadata,
      );
      return answerWithSociety(societyId, outcome.position, true);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/societies',
    summary: 'List societies',
    tags: ['Societies'],
    access: publicAccess,
    query: listSocietiesQuery,
    responses: {
      200: {
        description: 'A page of societies',
        content: { 'application/json': { schema: societyListSchema } },
      },
      ...problems(400, 503),
    },
    handler: async ({ query, req, principal }) => {
      const rows = await listSocieties(knex, {
        limit: query.limit + 1,
        after: query.cursor ? decodeCursor(query.cursor) : undefined,
        nameContains: query.name,
        // Summed only where this caller will see it (societyFor below).
        revenueOf: administeredSocieties(principal),
      });
      const page = rows.slice(0, query.limit);
      const more = rows.length > query.limit;
      return listAnswer(
        req,
        page.map(societyFor(principal)),
        more ? encodeCursor(page[page.length - 1]!) : null,
      );
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/societies/{id}',
    summary: 'Get a society',
    tags: ['Societies'],
    access: publicAccess,
    params: idParams,
    query: z.strictObject({ min_position: z.string().max(50).optional() }),
    responses: {
      200: { description: 'The society', content: { 'application/json': { schema: societySchema } } },
      ...problems(400, 404, 503),
    },
    handler: async ({ params, principal }) => {
      const row = await findSociety(knex, params.id);
      if (!row)
        throw new HttpProblem(404, 'society-not-found', 'Society not found', `No society ${params.id}`);
      return { status: 200, headers: { ETag: etag(row) }, body: societyFor(principal)(row) };
    },
  });

  addRoute(router, book, base, {
    method: 'patch',
    path: '/societies/{id}',
    summary: 'Change a society’s details',
    tags: ['Societies'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of this society'),
    params: idParams,
    headers: ifMatchHeaders,
    body: updateSocietyBody,
    responses: {
      200: {
        description: 'The society after the change',
        content: { 'application/json': { schema: societySchema } },
      },
      202: {
        description: 'Recorded, read side catching up',
        content: { 'application/json': { schema: acceptedSchema } },
      },
      ...problems(400, 404, 409, 412, 503),
    },
    handler: async ({ params, body, req, principal }) => {
      assertAdministers(principal, params.id);
      const ifMatch = req.get('if-match');
      const outcome = await changeSocietyDetails(
        commands,
        {
          societyId: params.id,
          expectedRevision: ifMatch ? Number(ifMatch.replace(/"/g, '')) : undefined,
          changes: {
            name: body.name,
            location: body.location,
            maxMembersPerEvent: body.max_members_per_event,
            capacity: body.capacity,
            timezone: body.timezone,
            latitude: body.latitude,
            longitude: body.longitude,
            weeklyBookingLimit: body.weekly_booking_limit,
            cancellationCutoffMinutes: body.cancellation_cutoff_minutes,
          },
        },
        commandMetadata(req, 'ChangeSocietyDetails'),
      );
      return answerWithSociety(params.id, outcome.position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/societies/{id}/admins',
    summary: 'Make a society admin an admin of this society',
    tags: ['Societies'],
    access: rolesOnly(['super_admin']),
    params: idParams,
    body: z.strictObject({ user_id: z.string().uuid() }).openapi('GrantSocietyAdmin'),
    responses: {
      200: {
        description: 'Granted (or already held)',
        content: { 'application/json': { schema: adminGrantSchema } },
      },
      ...problems(400, 401, 403, 404, 422, 503),
    },
    handler: async ({ params, body, req, principal }) => {
      const user = await findUser(knex, body.user_id);
      if (!user) throw new HttpProblem(404, 'user-not-found', 'User not found', `No user ${body.user_id}`);
      if (user.role !== 'society_admin') {
        throw new HttpProblem(
          422,
          'not-a-society-admin',
          'Only a society_admin account can administer a society',
          `User ${body.user_id} signed up as a ${user.role}; grant this to an account that signed up as a society_admin.`,
        );
      }
      const outcome = await grantSocietyAdmin(
        commands,
        { societyId: params.id, userId: body.user_id, grantedBy: principal.userId },
        commandMetadata(req, 'GrantSocietyAdmin'),
      );
      await readYourWrites.caughtUp(outcome.position);
      return { status: 200, body: { society_id: params.id, user_id: body.user_id } };
    },
  });

  return router;
};
