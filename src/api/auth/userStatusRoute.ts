import { Router } from 'express';
import { setUserActive } from '../../commands/identity/identityCommands';
import { findUser } from '../../projections/identity/userQueries';
import { z } from '../openapi/zod';
import type { ApiDependencies } from '../dependencies';
import { API_BASE } from '../http/basePath';
import { idParams } from '../http/requestSchemas';
import { commandMetadata } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { rolesOnly } from './access';
import { userSchema } from './authSchemas';
import { toUserView } from './sessions';

/** POST /users/{id}/status: a super_admin deactivates an account (its sessions end) or reactivates it. */
export const userStatusRoute = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites, identity } = deps;

  addRoute(router, book, API_BASE, {
    method: 'post',
    path: '/users/{id}/status',
    summary: 'Deactivate or reactivate an account',
    tags: ['Users'],
    access: rolesOnly(['super_admin']),
    params: idParams,
    body: z
      .strictObject({ status: z.enum(['active', 'inactive']), reason: z.string().trim().max(500).optional() })
      .openapi('UserStatusChange'),
    responses: {
      200: json(userSchema, 'The account after the change'),
      ...problems(400, 401, 403, 404, 503),
    },
    handler: async ({ params, body, req }) => {
      const outcome = await setUserActive(
        commands,
        params.id,
        body.status === 'active',
        body.reason ?? null,
        commandMetadata(req, body.status === 'active' ? 'ReactivateUser' : 'DeactivateUser'),
      );
      if (body.status === 'inactive') await identity.refreshTokens.revokeAllFor(params.id);
      await readYourWrites.caughtUp(outcome.position);
      const user = await findUser(knex, params.id);
      if (!user) throw new HttpProblem(404, 'user-not-found', 'User not found');
      return { status: 200, body: await toUserView(knex, user) };
    },
  });

  return router;
};
