import { Router } from 'express';
import {
  addScheduleTemplate,
  changeScheduleTemplate,
  removeScheduleTemplate,
} from '../../commands/schedules/templateCommands';
import type { Position } from '../../events/store/position';
import {
  findScheduleTemplate,
  listScheduleTemplates,
} from '../../projections/schedules/scheduleTemplateQueries';
import { assertAdministers, rolesOnly } from '../auth/access';
import type { ApiDependencies } from '../dependencies';
import { answerRemoval } from '../http/acceptedAnswer';
import { answerCommand } from '../http/answerCommand';
import { API_BASE } from '../http/basePath';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { listAnswer } from '../http/listAnswer';
import { idParams } from '../http/requestSchemas';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';
import {
  templateBody,
  templateChangesBody,
  templateListSchema,
  templateParams,
  templateSchema,
} from './scheduleSchemas';
import { templateChanges } from './templateChanges';
import { templateNotFound, toTemplate } from './templateView';

/** A society's weekly class templates: what the week generator makes classes from. */
export const scheduleTemplateRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;
  const admins = rolesOnly(['society_admin', 'super_admin'], 'an admin of the society');
  const accepted = json(acceptedSchema, 'Recorded, read side catching up');
  const refusals = problems(400, 401, 403, 404, 409, 422, 503);

  const answerWithTemplate = (id: string, position: Position | undefined, location?: string) =>
    answerCommand(readYourWrites, {
      id,
      position,
      location,
      load: () => findScheduleTemplate(knex, id),
      present: toTemplate,
    });

  /** The template, if it is this society's: another society's template is not found here. */
  const templateOf = async (societyId: string, templateId: string) => {
    const row = await findScheduleTemplate(knex, templateId);
    if (!row || row.society_id !== societyId) throw templateNotFound(templateId);
    return row;
  };

  addRoute(router, book, base, {
    method: 'post',
    path: '/societies/{id}/schedule-templates',
    summary: 'Add a weekly class template (the Sunday generator makes a class from it every week)',
    tags: ['Schedules'],
    access: admins,
    params: idParams,
    body: templateBody,
    responses: { 201: json(templateSchema, 'Created'), 202: accepted, ...refusals },
    handler: async ({ params, body, req, principal }) => {
      assertAdministers(principal, params.id);
      const metadata = commandMetadata(req, 'AddScheduleTemplate');
      const templateId = newEntityId(metadata);
      const outcome = await addScheduleTemplate(
        commands,
        {
          societyId: params.id,
          templateId,
          addedBy: principal.userId,
          details: {
            name: body.name,
            weekday: body.weekday,
            start: body.start_time,
            end: body.start_time + body.duration_minutes,
            classType: body.class_type,
            maxMembers: body.max_members,
            preferredTrainerId: body.preferred_trainer_id,
          },
        },
        metadata,
      );
      const location = `${base}/societies/${params.id}/schedule-templates/${templateId}`;
      return answerWithTemplate(templateId, outcome.position, location);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/societies/{id}/schedule-templates',
    summary: 'A society’s weekly class templates, Monday first',
    tags: ['Schedules'],
    access: admins,
    params: idParams,
    responses: { 200: json(templateListSchema, 'The templates'), ...problems(400, 401, 403, 503) },
    handler: async ({ params, req, principal }) => {
      assertAdministers(principal, params.id);
      const rows = await listScheduleTemplates(knex, params.id);
      return listAnswer(req, rows.map(toTemplate), null);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/societies/{id}/schedule-templates/{template_id}',
    summary: 'One weekly class template',
    tags: ['Schedules'],
    access: admins,
    params: templateParams,
    responses: { 200: json(templateSchema, 'The template'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, principal }) => {
      assertAdministers(principal, params.id);
      const row = await templateOf(params.id, params.template_id);
      return { status: 200, headers: { ETag: `"${row.version}"` }, body: toTemplate(row) };
    },
  });

  addRoute(router, book, base, {
    method: 'patch',
    path: '/societies/{id}/schedule-templates/{template_id}',
    summary: 'Change a weekly class template (weeks generated already keep their classes)',
    tags: ['Schedules'],
    access: admins,
    params: templateParams,
    body: templateChangesBody,
    responses: { 200: json(templateSchema, 'The template after the change'), 202: accepted, ...refusals },
    handler: async ({ params, body, req, principal }) => {
      assertAdministers(principal, params.id);
      const current = await templateOf(params.id, params.template_id);
      const outcome = await changeScheduleTemplate(
        commands,
        { societyId: params.id, templateId: params.template_id, changes: templateChanges(current, body) },
        commandMetadata(req, 'ChangeScheduleTemplate'),
      );
      return answerWithTemplate(params.template_id, outcome.position);
    },
  });

  addRoute(router, book, base, {
    method: 'delete',
    path: '/societies/{id}/schedule-templates/{template_id}',
    summary: 'Remove a weekly class template (classes already generated stay)',
    tags: ['Schedules'],
    access: admins,
    params: templateParams,
    responses: { 204: { description: 'Removed' }, 202: accepted, ...refusals },
    handler: async ({ params, req, principal }) => {
      assertAdministers(principal, params.id);
      await templateOf(params.id, params.template_id);
      const outcome = await removeScheduleTemplate(
        commands,
        { societyId: params.id, templateId: params.template_id, removedBy: principal.userId },
        commandMetadata(req, 'RemoveScheduleTemplate'),
      );
      return answerRemoval(readYourWrites, params.template_id, outcome.position);
    },
  });

  return router;
};
