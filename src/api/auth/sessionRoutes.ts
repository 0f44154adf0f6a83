import { Router, type Request } from 'express';
import { findUser } from '../../projections/identity/userQueries';
import type { ApiDependencies } from '../dependencies';
import { API_BASE } from '../http/basePath';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { publicAccess, signedIn } from './access';
import {
  loginBody,
  logoutAnswerSchema,
  logoutBody,
  refreshBody,
  sessionSchema,
  userSchema,
} from './authSchemas';
import { accountInactive, signInWithPassword } from './passwordSignIn';
import type { RotationOutcome } from './refreshTokens';
import { sessionFor, toUserView } from './sessions';

/** Signing out twice is not an error: a session already ended answers the same, with 0 revoked. */
const loggedOut = (revoked: number) => ({
  message: revoked > 0 ? 'Signed out' : 'Already signed out: the session had ended',
  revoked_sessions: revoked,
});

/** Logout with no refresh token and no usable access token: nothing says whose session to end. */
const nothingToSignOut = (authFailure: Request['authFailure']) =>
  new HttpProblem(
    401,
    'unauthenticated',
    'Sign in to do this',
    authFailure
      ? 'The access token is no longer valid (expired or signed out); send {"refresh_token": …} to end that session, or nothing: it ends by itself.'
      : 'Send Authorization: Bearer <access token> to sign out everywhere, or {"refresh_token": …} to end one session.',
    {},
    { 'WWW-Authenticate': 'Bearer realm="arcfit"' },
  );

/** Why a refresh token was not swapped, as the caller should hear it. */
const refreshRefused = (kind: Exclude<RotationOutcome['kind'], 'rotated'>) => {
  switch (kind) {
    case 'in-use':
      return new HttpProblem(
        409,
        'refresh-token-in-use',
        'This refresh token was just used by another request',
        'Another request refreshed with this token moments ago; use the refresh token that request received. This session stays signed in.',
      );
    case 'reused':
      return new HttpProblem(
        401,
        'refresh-token-reused',
        'This refresh token was already used',
        'Every session of its family is now revoked; sign in again.',
      );
    case 'invalid':
      return new HttpProblem(401, 'invalid-refresh-token', 'The refresh token is not valid');
  }
};

/** A session's life: login, refresh, logout, and who is signed in. */
export const sessionRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, identity } = deps;
  const base = API_BASE;

  addRoute(router, book, base, {
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in with email or phone and password',
    tags: ['Auth'],
    access: publicAccess,
    body: loginBody,
    responses: { 200: json(sessionSchema, 'Signed in'), ...problems(400, 401, 429, 503) },
    handler: async ({ body }) => {
      const user = await signInWithPassword(knex, identity.throttle, body);
      return { status: 200, body: await sessionFor(knex, identity, user) };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/auth/refresh',
    summary: 'Swap a refresh token for a new access token and refresh token',
    tags: ['Auth'],
    access: publicAccess,
    body: refreshBody,
    responses: { 200: json(sessionSchema, 'A new session'), ...problems(400, 401, 409, 503) },
    handler: async ({ body }) => {
      const rotated = await identity.refreshTokens.rotate(body.refresh_token);
      if (rotated.kind !== 'rotated') throw refreshRefused(rotated.kind);
      const user = await findUser(knex, rotated.userId);
      if (!user || user.status !== 'active') {
        await identity.refreshTokens.revokeFamilyOf(rotated.token);
        throw accountInactive();
      }
      return { status: 200, body: await sessionFor(knex, identity, user, rotated.token) };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/auth/logout',
    summary:
      'Sign out: with {refresh_token}, that session (its token family); with a bearer token only, every session of the caller',
    tags: ['Auth'],
    access: publicAccess,
    body: logoutBody,
    responses: { 200: json(logoutAnswerSchema, 'Signed out'), ...problems(400, 401, 503) },
    handler: async ({ body, principal, req }) => {
      // A refresh token names one session exactly. An access token does not (it carries no
      // session id), so the caller's every refresh token is revoked: all devices sign out.
      if (body.refresh_token !== undefined) {
        const revoked = await identity.refreshTokens.revokeFamilyOf(body.refresh_token);
        return { status: 200, body: loggedOut(revoked) };
      }
      if (!principal) throw nothingToSignOut(req.authFailure);
      const revoked = await identity.refreshTokens.revokeAllFor(principal.userId);
      return { status: 200, body: loggedOut(revoked) };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/auth/me',
    summary: 'The signed-in user',
    tags: ['Auth'],
    access: signedIn(),
    responses: { 200: json(userSchema, 'You'), ...problems(401, 503) },
    handler: async ({ principal }) => {
      const user = await findUser(knex, principal.userId);
      return { status: 200, body: await toUserView(knex, user!) };
    },
  });

  return router;
};
