import { idParams, readQuery } from '../http/requestSchemas';
import { Router } from 'express';
import { answerWithRow } from '../http/answerWithRow';
import { cancelClass } from '../../commands/classes/classCancellation';
import { loadSocietySettings } from '../../commands/classes/classCommandSteps';
import {
  changeClassDetails,
  precheckClassDetails,
  scheduleClass,
} from '../../commands/classes/classCommands';
import { rescheduleClass } from '../../commands/classes/classMoves';
import type { Position } from '../../events/store/position';
import { classActivities, findClass } from '../../projections/classes/classQueries';
import { classProgress } from '../../projections/classes/classProgress';
import { findTrainer } from '../../projections/trainers/trainerQueries';
import { assertAdministers, forbidden, rolesOnly, signedIn } from '../auth/access';
import type { ApiDependencies } from '../dependencies';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem, RequestValidationError } from '../http/errorHandler';
import { z } from '../openapi/zod';
import { listAnswer } from '../http/listAnswer';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';
import { activityRoutes } from './activityRoutes';
import { societyActedFor } from './adminSociety';
import { classAccess } from './classAccess';
import {
  cancelClassBody,
  classListSchema,
  classSchema,
  createClassBody,
  listClassesQuery,
  progressQuery,
  progressSchema,
  requestedWhen,
  updateClassBody,
} from './classSchemas';
import { deriveClassType } from './classTypeRule';
import { classPage, toClass } from './classView';
import { resolveClassWhen } from './classWhen';
import { staffingRoutes } from './staffingRoutes';
import { API_BASE } from '../http/basePath';

const accepted = json(acceptedSchema, 'Recorded, read side catching up');

/**
 * Classes (the spec's events): schedule, list, read, change, cancel, progress. Their activities
 * and their staffing (trainers, participants) are routed next door, in activityRoutes and
 * staffingRoutes; this router mounts both.
 */
export const classRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;
  const { memberSociety, readableClass, administeredClass } = classAccess(knex);

  const answerWithClass = answerWithRow(readYourWrites, {
    path: (id) => `/events/${id}`,
    load: (id) => findClass(knex, id),
    present: (row) => toClass(row, new Date()),
  });

  /** The class type the request gives, else the one the trainer or the name implies (classTypeRule). */
  const classTypeOf = async (body: { name: string; class_type?: string; trainer_id?: string | null }) => {
    if (body.class_type) return body.class_type;
    const trainer = body.trainer_id ? await findTrainer(knex, body.trainer_id) : undefined;
    const derived = deriveClassType(body.name, trainer?.specialization ?? null);
    if (derived !== null) return derived;
    throw new HttpProblem(
      422,
      'class-type-required',
      'Say what kind of class this is',
      `The trainer teaches ${trainer!.specialization.join(', ')} and the name “${body.name}” mentions none of them: give class_type.`,
    );
  };

  const classRefusals = problems(400, 401, 403, 404, 409, 422, 503);

  addRoute(router, book, base, {
    method: 'post',
    path: '/events',
    summary: 'Schedule a class (the spec’s event), assigning its trainer if given',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the society'),
    body: createClassBody,
    responses: { 201: json(classSchema, 'Created'), 202: accepted, ...classRefusals },
    handler: async ({ body, req, principal }) => {
      const societyId = societyActedFor(principal, body.society_id);
      assertAdministers(principal, societyId);
      const society = await loadSocietySettings(commands, societyId);
      const when = resolveClassWhen(requestedWhen(body), society.timezone);
      const classType = await classTypeOf(body);
      const metadata = commandMetadata(req, 'ScheduleClass');
      const classId = newEntityId(metadata);
      const outcome = await scheduleClass(
        commands,
        {
          classId,
          societyId,
          name: body.name,
          classType,
          ...when,
          maxMembers: body.max_members,
          trainerId: body.trainer_id ?? null,
          scheduledBy: principal.userId,
          ...(body.location !== undefined ? { location: body.location } : {}),
        },
        metadata,
      );
      return answerWithClass(classId, outcome.position, true);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events',
    summary: 'List classes, by society and society-local date range',
    tags: ['Events'],
    access: signedIn('members see only their own society’s classes'),
    query: listClassesQuery,
    responses: {
      200: json(classListSchema, 'A page of classes in start order'),
      ...problems(400, 401, 403, 503),
    },
    handler: async ({ query, req, principal }) => {
      // Checked here, not as a refinement of the query schema (the router extends query schemas).
      if (query.from && query.to && query.from > query.to)
        throw new RequestValidationError(
          'query',
          new z.ZodError([
            { code: 'custom', path: ['from'], message: 'from is not after to', input: query.from },
          ]),
        );
      const own = await memberSociety(principal);
      if (own !== undefined && query.society_id !== undefined && query.society_id !== own)
        throw forbidden('A member sees only their own society’s classes.');
      const societyId = own !== undefined ? own : query.society_id;
      if (own === null) return listAnswer(req, [], null);
      return classPage(
        knex,
        req,
        { societyId: societyId ?? undefined, from: query.from, to: query.to },
        query,
      );
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}',
    summary: 'Get a class',
    tags: ['Events'],
    access: signedIn('members: classes of their own society only (others get 404)'),
    params: idParams,
    query: readQuery,
    responses: { 200: json(classSchema, 'The class'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, principal }) => {
      const row = await readableClass(principal, params.id);
      return { status: 200, headers: { ETag: `"${row.version}"` }, body: toClass(row, new Date()) };
    },
  });

  addRoute(router, book, base, {
    method: 'patch',
    path: '/events/{id}',
    summary: 'Change a class: details, or date/times (a reschedule that moves the trainer’s claim)',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: idParams,
    body: updateClassBody,
    responses: { 200: json(classSchema, 'The class after the change'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      const row = await administeredClass(principal, params.id);
      let position: Position | undefined;
      const { name, class_type, max_members } = body;
      const reschedules =
        body.date !== undefined || body.start_time !== undefined || body.end_time !== undefined;
      const start = body.start_time ?? row.start_minute;
      const end = body.end_time ?? row.end_minute;
      // Everything the request could be refused for is checked before the first append, and the
      // reschedule (refusable by the trainer's day) goes first: a refused PATCH writes nothing.
      if (reschedules && end <= start)
        throw new HttpProblem(400, 'invalid-class-times', 'A class ends after it starts, on the same day');
      const changesDetails = name !== undefined || class_type !== undefined || max_members !== undefined;
      const details = {
        classId: params.id,
        changes: { name, classType: class_type, maxMembers: max_members },
      };
      if (reschedules && changesDetails) await precheckClassDetails(commands, details);
      if (reschedules) {
        const outcome = await rescheduleClass(
          commands,
          { classId: params.id, date: body.date ?? row.date, start, end },
          commandMetadata(req, 'RescheduleClass'),
        );
        position = outcome.position ?? position;
      }
      if (changesDetails) {
        const outcome = await changeClassDetails(
          commands,
          details,
          commandMetadata(req, 'ChangeClassDetails'),
        );
        position = outcome.position ?? position;
      }
      return answerWithClass(params.id, position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/events/{id}/cancel',
    summary: 'Cancel a class (frees its trainer; bookings will be cancelled from this fact)',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: idParams,
    body: cancelClassBody,
    responses: { 200: json(classSchema, 'The canceled class'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      await administeredClass(principal, params.id);
      const outcome = await cancelClass(
        commands,
        { classId: params.id, reason: body.reason, canceledBy: principal.userId },
        commandMetadata(req, 'CancelClass'),
      );
      return answerWithClass(params.id, outcome.position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}/progress',
    summary: 'Which activity of a class is running now, its tracks and the time left',
    tags: ['Events'],
    access: signedIn('members: classes of their own society only (others get 404)'),
    params: idParams,
    query: progressQuery,
    responses: { 200: json(progressSchema, 'Progress'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, query, principal }) => {
      const row = await readableClass(principal, params.id);
      const at = query.at ? new Date(query.at) : new Date();
      const progress = classProgress(
        {
          canceled: row.status === 'canceled',
          startsAt: row.starts_at,
          endsAt: row.ends_at,
          activities: await classActivities(knex, row.id),
        },
        at,
      );
      return { status: 200, body: { event_id: row.id, at: at.toISOString(), ...progress } };
    },
  });

  router.use(staffingRoutes(deps, book));
  router.use(activityRoutes(deps, book));
  return router;
};
