import { idParams, pageQuery, readQuery } from '../http/requestSchemas';
import { memberNotFound } from '../members/memberNotFound';
import { Router } from 'express';
import { answerCommand } from '../http/answerCommand';
import { assignTrainerToClass } from '../../commands/classes/classMoves';
import { rankTrainerSuggestions, type TrainerSuggestion } from '../../commands/trainers/trainerSuggestions';
import { classParticipants } from '../../projections/booking/bookingQueries';
import { findClass } from '../../projections/classes/classQueries';
import { trainerSuggestionFacts } from '../../projections/classes/trainerSuggestionFacts';
import { findMember } from '../../projections/members/memberQueries';
import { findTrainer, type TrainerRow } from '../../projections/trainers/trainerQueries';
import { canAdminister, forbidden, rolesOnly, signedIn } from '../auth/access';
import type { ApiDependencies } from '../dependencies';
import { commandMetadata } from '../http/commandMetadata';
import { listAnswer } from '../http/listAnswer';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';

import { classAccess } from './classAccess';
import {
  assignmentSchema,
  assignTrainerBody,
  classListSchema,
  participantsParams,
  participantsSchema,
  suggestionsSchema,
} from './classSchemas';
import { classNotFound, classPage } from './classView';
import { trainerNotFound } from '../trainers/trainerView';
import { API_BASE } from '../http/basePath';

const accepted = json(acceptedSchema, 'Recorded, read side catching up');

/** A ranked trainer as the suggestions list shows them. */
const toSuggestion = ({ trainer, distanceKm, classesThatDay }: TrainerSuggestion<TrainerRow>) => ({
  trainer_id: trainer.id,
  name: trainer.name,
  specialization: trainer.specialization[0] ?? '',
  specializations: trainer.specialization,
  distance_km: distanceKm,
  classes_that_day: classesThatDay,
  max_classes_per_day: trainer.max_classes_per_day,
});

/**
 * Who teaches and who takes part: trainer suggestions and assignment, a trainer's classes, a
 * class's participants, and the upcoming classes a member may book.
 */
export const staffingRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;
  const { administeredClass } = classAccess(knex);
  const classRefusals = problems(400, 401, 403, 404, 409, 422, 503);

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}/trainer-suggestions',
    summary: 'Trainers who could take a class, nearest first, then least busy that day',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: idParams,
    query: readQuery,
    responses: { 200: json(suggestionsSchema, 'Ranked trainers'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, req, principal }) => {
      const row = await administeredClass(principal, params.id);
      const ranked = rankTrainerSuggestions(await trainerSuggestionFacts(knex, row));
      return listAnswer(req, ranked.map(toSuggestion), null);
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/trainers/{id}/assign',
    summary: 'Assign (or re-assign) a trainer to a class',
    tags: ['Events', 'Trainers'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: idParams,
    body: assignTrainerBody,
    responses: { 200: json(assignmentSchema, 'Assigned'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      await administeredClass(principal, body.event_id);
      const outcome = await assignTrainerToClass(
        commands,
        { classId: body.event_id, trainerId: params.id },
        commandMetadata(req, 'AssignTrainerToClass'),
      );
      const answer = await answerCommand(readYourWrites, {
        id: body.event_id,
        position: outcome.position,
        load: () => findClass(knex, body.event_id),
        present: (row) => ({
          trainer_id: params.id,
          event_id: body.event_id,
          assigned_at: row.updated_at.toISOString(),
        }),
      });
      return answer;
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/trainers/{id}/events',
    summary: 'The classes a trainer is assigned to, in start order',
    tags: ['Events', 'Trainers'],
    access: rolesOnly(['trainer', 'society_admin', 'super_admin'], 'the trainer themself, or any admin'),
    params: idParams,
    query: pageQuery,
    responses: { 200: json(classListSchema, 'A page of classes'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, query, req, principal }) => {
      if (principal.role === 'trainer' && principal.userId !== params.id)
        throw forbidden('A trainer sees only their own classes.');
      if (!(await findTrainer(knex, params.id))) throw trainerNotFound(params.id);
      return classPage(knex, req, { trainerId: params.id }, query);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/trainers/{id}/participants/{event_id}',
    summary: 'Who takes part in a trainer’s class',
    tags: ['Events', 'Trainers'],
    access: rolesOnly(
      ['trainer', 'society_admin', 'super_admin'],
      'the trainer of that class, an admin of its society',
    ),
    params: participantsParams,
    query: readQuery,
    responses: { 200: json(participantsSchema, 'The participants'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, req, principal }) => {
      const row = await findClass(knex, params.event_id);
      if (!row || row.trainer_id !== params.id) throw classNotFound(params.event_id);
      const p = principal;
      if (!(p.role === 'trainer' ? p.userId === params.id : canAdminister(p, row.society_id)))
        throw forbidden('Only the class’s trainer or an admin of its society may see who takes part.');
      const participants = (await classParticipants(knex, row.id)).map(({ member_id, name }) => ({
        member_id,
        name,
      }));
      return listAnswer(req, participants, null);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/members/{id}/events',
    summary: 'Upcoming classes of a member’s society',
    tags: ['Events', 'Members'],
    access: signedIn('the member themself, an admin of their society or super_admin; others get 404'),
    params: idParams,
    query: pageQuery,
    responses: { 200: json(classListSchema, 'A page of upcoming classes'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, query, req, principal }) => {
      const member = await findMember(knex, params.id);
      if (!member || !(principal.userId === member.id || canAdminister(principal, member.society_id)))
        throw memberNotFound(params.id);
      return classPage(knex, req, { societyId: member.society_id, upcomingAt: new Date() }, query);
    },
  });

  return router;
};
