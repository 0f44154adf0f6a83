import { idParams } from '../http/requestSchemas';
import { Router } from 'express';
import { answerCommand } from '../http/answerCommand';
import { answerWithRow } from '../http/answerWithRow';
import { decodeCursor, encodeCursor } from '../http/keysetCursor';
import {
  createTrainerProfile,
  setTrainerAvailability,
  setTrainerDay,
  updateTrainerProfile,
} from '../../commands/trainers/trainerCommands';
import { formatMinute } from '../../commands/trainers/availability';
import {
  findTrainer,
  listTrainers,
  trainerDaySlots,
  type TrainerRow,
} from '../../projections/trainers/trainerQueries';
import { assertAdministers, forbidden, rolesOnly, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { listAnswer } from '../http/listAnswer';
import { societyActedFor } from '../classes/adminSociety';
import { newTrainerProfile } from './newTrainer';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { z } from '../openapi/zod';
import { acceptedSchema } from '../societies/societySchemas';
import { contactVisibleTo, slotsOn, toTrainer, trainerNotFound } from './trainerView';
import {
  anyAvailabilityBody,
  createTrainerBody,
  dayAvailabilitySchema,
  getTrainerQuery,
  listTrainersQuery,
  scheduleQuery,
  scheduleSchema,
  trainerListSchema,
  trainerSchema,
  updateTrainerBody,
} from './trainerSchemas';
import { API_BASE } from '../http/basePath';

const etag = (row: TrainerRow) => `"${row.version}"`;

const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^"\d+"$/, 'must be an ETag this API returned, e.g. "3"')
    .optional()
    .openapi({ description: 'Refuse the change (412) unless the trainer is still at this version' }),
});

/** A trainer manages their own profile and availability; a super_admin anyone's. */
const assertSelfOrSuperAdmin = (principal: Principal, trainerId: string) => {
  if (principal.role === 'super_admin') return;
  if (principal.role === 'trainer' && principal.userId === trainerId) return;
  throw forbidden('Only this trainer or a super_admin may do this.');
};

export const trainerRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;

  /** A command's answer: the row as the read side now shows it, or 202 with the position to wait for. */
  const answerWithTrainer = answerWithRow(readYourWrites, {
    path: (id) => `/trainers/${id}`,
    load: (id) => findTrainer(knex, id),
    // Only a super_admin, the trainer themself, or the admin adding them to their society changes
    // a profile: each may see its contact details.
    present: (row) => toTrainer(row, true),
  });

  const changed = {
    200: json(trainerSchema, 'The trainer after the change'),
    202: json(acceptedSchema, 'Recorded, read side catching up'),
  };

  addRoute(router, book, base, {
    method: 'post',
    path: '/trainers',
    summary: 'Add a trainer: a new one (the spec’s body), or the profile of an existing trainer account',
    tags: ['Trainers'],
    access: rolesOnly(
      ['society_admin', 'super_admin'],
      'a society admin adds trainers to their society (who then see the contact details); super_admin any',
    ),
    body: createTrainerBody,
    responses: {
      201: json(trainerSchema, 'Created'),
      202: json(acceptedSchema, 'Recorded, read side catching up'),
      ...problems(400, 401, 403, 409, 422, 503),
    },
    handler: async ({ body, req, principal }) => {
      const p = principal;
      const societyId = p.role === 'super_admin' ? body.society_id : societyActedFor(p, body.society_id);
      if (societyId) assertAdministers(p, societyId);
      const metadata = commandMetadata(req, 'CreateTrainerProfile');
      const { trainerId, details } = await newTrainerProfile(knex, body, societyId, () =>
        newEntityId(metadata),
      );
      const outcome = await createTrainerProfile(
        commands,
        { trainerId, createdBy: p.userId, details, ...(societyId ? { societyId } : {}) },
        metadata,
      );
      return answerWithTrainer(trainerId, outcome.position, true);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/trainers',
    summary: 'List trainers',
    tags: ['Trainers'],
    access: signedIn(),
    query: listTrainersQuery,
    responses: { 200: json(trainerListSchema, 'A page of trainers'), ...problems(400, 401, 503) },
    handler: async ({ query, req, principal }) => {
      const rows = await listTrainers(knex, {
        limit: query.limit + 1,
        after: query.cursor ? decodeCursor(query.cursor) : undefined,
        specialization: query.specialization,
      });
      const page = rows.slice(0, query.limit);
      const reachable = await contactVisibleTo(
        knex,
        principal,
        page.map((row) => row.id),
      );
      return listAnswer(
        req,
        page.map((row) => toTrainer(row, reachable.has(row.id))),
        rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null,
      );
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/trainers/{id}',
    summary: 'Get a trainer',
    tags: ['Trainers'],
    access: signedIn(),
    params: idParams,
    query: getTrainerQuery,
    responses: { 200: json(trainerSchema, 'The trainer'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, principal }) => {
      const row = await findTrainer(knex, params.id);
      if (!row) throw trainerNotFound(params.id);
      const reachable = await contactVisibleTo(knex, principal, [row.id]);
      return { status: 200, headers: { ETag: etag(row) }, body: toTrainer(row, reachable.has(row.id)) };
    },
  });

  addRoute(router, book, base, {
    method: 'patch',
    path: '/trainers/{id}',
    summary: 'Change a trainer’s profile',
    tags: ['Trainers'],
    access: rolesOnly(
      ['trainer', 'super_admin'],
      'the trainer themself; max_classes_per_day only a super_admin',
    ),
    params: idParams,
    headers: ifMatchHeaders,
    body: updateTrainerBody,
    responses: { ...changed, ...problems(400, 401, 403, 404, 409, 412, 503) },
    handler: async ({ params, body, req, principal }) => {
      assertSelfOrSuperAdmin(principal, params.id);
      // The daily limit protects the trainer and the classes alike; it is not self-service.
      if (body.max_classes_per_day !== undefined && principal.role !== 'super_admin')
        throw forbidden('Only a super_admin changes max_classes_per_day.');
      const ifMatch = req.get('if-match');
      const outcome = await updateTrainerProfile(
        commands,
        {
          trainerId: params.id,
          expectedRevision: ifMatch ? Number(ifMatch.replace(/"/g, '')) : undefined,
          changes: {
            name: body.name,
            specialization: body.specialization,
            location: body.location && {
              address: body.location.address ?? null,
              latitude: body.location.latitude,
              longitude: body.location.longitude,
            },
            maxClassesPerDay: body.max_classes_per_day,
          },
        },
        commandMetadata(req, 'UpdateTrainerProfile'),
      );
      return answerWithTrainer(params.id, outcome.position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/trainers/{id}/availability',
    summary: 'Set a trainer’s availability: one date’s slots (the spec’s body), or the whole of it',
    tags: ['Trainers'],
    access: rolesOnly(['trainer', 'super_admin'], 'the trainer themself'),
    params: idParams,
    body: anyAvailabilityBody,
    responses: {
      200: json(z.union([dayAvailabilitySchema, trainerSchema]), 'The trainer after the change'),
      202: changed[202],
      ...problems(400, 401, 403, 404, 409, 503),
    },
    handler: async ({ params, body, req, principal }) => {
      assertSelfOrSuperAdmin(principal, params.id);
      if ('event_date' in body) {
        const outcome = await setTrainerDay(
          commands,
          { trainerId: params.id, date: body.event_date, windows: body.available_slots },
          commandMetadata(req, 'SetTrainerAvailability'),
        );
        return answerCommand(readYourWrites, {
          id: params.id,
          position: outcome.position,
          load: () => findTrainer(knex, params.id),
          present: (row) => ({
            ...toTrainer(row, true),
            event_date: body.event_date,
            available_slots: slotsOn(row, body.event_date),
          }),
        });
      }
      const outcome = await setTrainerAvailability(
        commands,
        { trainerId: params.id, availability: body },
        commandMetadata(req, 'SetTrainerAvailability'),
      );
      return answerWithTrainer(params.id, outcome.position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/trainers/{id}/schedule',
    summary: 'The classes a trainer has claimed on a date',
    tags: ['Trainers'],
    access: rolesOnly(['trainer', 'society_admin', 'super_admin'], 'the trainer themself, or any admin'),
    params: idParams,
    query: scheduleQuery,
    responses: { 200: json(scheduleSchema, 'The day’s claimed slots'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, query, principal }) => {
      if (principal.role === 'trainer' && principal.userId !== params.id)
        throw forbidden('A trainer sees only their own schedule.');
      const trainer = await findTrainer(knex, params.id);
      if (!trainer) throw trainerNotFound(params.id);
      const slots = await trainerDaySlots(knex, params.id, query.date);
      return {
        status: 200,
        body: {
          trainer_id: params.id,
          date: query.date,
          max_classes_per_day: trainer.max_classes_per_day,
          slots: slots.map((s) => ({
            class_id: s.class_id,
            society_id: s.society_id,
            start: formatMinute(s.start_minute),
            end: formatMinute(s.end_minute),
          })),
        },
      };
    },
  });

  return router;
};
