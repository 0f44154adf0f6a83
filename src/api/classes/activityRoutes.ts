import { idParams, readQuery } from '../http/requestSchemas';
import { Router } from 'express';
import { addClassActivity, changeClassActivity } from '../../commands/classes/classActivities';
import type { Position } from '../../events/store/position';
import { classActivities } from '../../projections/classes/classQueries';
import { rolesOnly, signedIn } from '../auth/access';
import type { ApiDependencies } from '../dependencies';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { listAnswer } from '../http/listAnswer';
import { acceptedAnswer, positionHeaders } from '../http/acceptedAnswer';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';
import { classAccess } from './classAccess';
import {
  activityChangedSchema,
  activityListSchema,
  activityParams,
  addActivityBody,
  changeActivityBody,
} from './classSchemas';
import { toActivity } from './classView';
import { API_BASE } from '../http/basePath';

const accepted = json(acceptedSchema, 'Recorded, read side catching up');

/** How the updated event design answers an activity change: `{id, status}` on add, `message` on a move. */
const OUTCOME = {
  added: { status: 'Added', message: 'Activity added successfully' },
  moved: { status: 'Updated', message: 'Activity order updated successfully' },
  updated: { status: 'Updated', message: 'Activity updated successfully' },
} as const;

/** A class's activities (the updated event design): add, list in running order, change or move. */
export const activityRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;
  const { readableClass, administeredClass } = classAccess(knex);
  const classRefusals = problems(400, 401, 403, 404, 409, 422, 503);

  const activitiesOf = async (classId: string) => (await classActivities(knex, classId)).map(toActivity);

  /** The activity as the read side shows it once caught up with the command; else 202 with the position. */
  const answerWithActivity = async (
    classId: string,
    activityId: string,
    position: Position | undefined,
    outcome: keyof typeof OUTCOME,
  ) => {
    const headers = positionHeaders(position);
    const activities = (await readYourWrites.caughtUp(position)) ? await activitiesOf(classId) : [];
    const activity = activities.find((a) => a.id === activityId);
    if (!activity) return acceptedAnswer(activityId, position, headers);
    return {
      status: outcome === 'added' ? 201 : 200,
      headers,
      body: { id: activityId, ...OUTCOME[outcome], event_id: classId, activity, activities },
    };
  };

  addRoute(router, book, base, {
    method: 'post',
    path: '/events/{id}/activities',
    summary: 'Add an activity to a class (at a position, or last)',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: idParams,
    body: addActivityBody,
    responses: { 201: json(activityChangedSchema, 'Added'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      await administeredClass(principal, params.id);
      const metadata = commandMetadata(req, 'AddClassActivity');
      const activityId = newEntityId(metadata);
      const outcome = await addClassActivity(
        commands,
        {
          classId: params.id,
          order: body.order,
          activity: {
            activityId,
            name: body.name,
            duration: body.duration,
            description: body.description ?? null,
            tracks: body.tracks,
            mediaUrl: body.media_url ?? null,
          },
        },
        metadata,
      );
      return answerWithActivity(params.id, activityId, outcome.position, 'added');
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}/activities',
    summary: 'A class’s activities, in running order',
    tags: ['Events'],
    access: signedIn('members: classes of their own society only (others get 404)'),
    params: idParams,
    query: readQuery,
    responses: { 200: json(activityListSchema, 'The activities'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, req, principal }) => {
      const row = await readableClass(principal, params.id);
      return listAnswer(req, await activitiesOf(row.id), null);
    },
  });

  addRoute(router, book, base, {
    method: 'put',
    path: '/events/{id}/activities/{activity_id}',
    summary: 'Change an activity or move it (orders stay 1..n)',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: activityParams,
    body: changeActivityBody,
    responses: { 200: json(activityChangedSchema, 'Changed'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      await administeredClass(principal, params.id);
      const outcome = await changeClassActivity(
        commands,
        {
          classId: params.id,
          activityId: params.activity_id,
          order: body.order,
          changes: {
            name: body.name,
            duration: body.duration,
            description: body.description,
            tracks: body.tracks,
            mediaUrl: body.media_url,
          },
        },
        commandMetadata(req, 'ChangeClassActivity'),
      );
      const said = body.order !== undefined ? 'moved' : 'updated';
      return answerWithActivity(params.id, params.activity_id, outcome.position, said);
    },
  });

  return router;
};
