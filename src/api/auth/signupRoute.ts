import { Router } from 'express';
import { normaliseEmail, normalisePhone } from '../../commands/identity/contactDetails';
import { hashPassword } from '../../commands/identity/passwords';
import { signUp } from '../../commands/identity/signUp';
import { findUser } from '../../projections/identity/userQueries';
import { findSociety } from '../../projections/societies/societyQueries';
import type { ApiDependencies } from '../dependencies';
import { API_BASE } from '../http/basePath';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { publicAccess } from './access';
import { signupAnswerSchema, signupBody } from './authSchemas';
import { sessionFor } from './sessions';
import { signupAnswer, trainerSignupDetails } from './signupDetails';

const invalidPhone = () =>
  new HttpProblem(
    400,
    'validation-error',
    'The request is not valid',
    'phone_number is not a valid phone number',
    {
      errors: [{ in: 'body', path: 'phone_number', message: 'not a valid phone number' }],
    },
  );

/** POST /auth/signup: an account, its society application or trainer profile, and a session. */
export const signupRoute = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites, identity } = deps;
  const base = API_BASE;

  addRoute(router, book, base, {
    method: 'post',
    path: '/auth/signup',
    summary: 'Sign up as a member (applying to a society), a trainer or a society admin',
    tags: ['Auth'],
    access: publicAccess,
    body: signupBody,
    // Anonymous: a key is scoped to the identity the signup claims, so another person's key (seen
    // in a log, or guessed) names a different request and never answers with their session.
    idempotencyScope: (body) => `signup:${normaliseEmail(body.email)}|${body.phone_number}`,
    responses: {
      201: json(signupAnswerSchema, 'Signed up and signed in: the account, and a session'),
      ...problems(400, 409, 422, 429, 503),
    },
    handler: async ({ body, req }) => {
      const email = normaliseEmail(body.email);
      const phoneNumber = normalisePhone(body.phone_number);
      if (!phoneNumber) throw invalidPhone();
      // A member may name their society now (applying at once) or apply later (POST /members).
      const societyId = body.role === 'member' ? (body.society_id ?? null) : null;
      if (societyId && !(await findSociety(knex, societyId))) {
        throw new HttpProblem(422, 'society-not-found', 'No such society to join', `No society ${societyId}`);
      }
      const metadata = commandMetadata(req, 'RegisterUser');
      const userId = newEntityId(metadata);
      const { position } = await signUp(
        commands,
        {
          userId,
          name: body.name,
          email,
          phoneNumber,
          role: body.role,
          passwordHash: await hashPassword(body.password),
          societyId,
          trainer: body.role === 'trainer' ? trainerSignupDetails(body) : null,
        },
        metadata,
      );
      const user = (await readYourWrites.caughtUp(position)) ? await findUser(knex, userId) : undefined;
      if (!user) return { status: 202, body: { status: 'accepted', id: userId } };
      return {
        status: 201,
        headers: { Location: `${base}/auth/me` },
        body: signupAnswer(user, await sessionFor(knex, identity, user)),
      };
    },
  });

  return router;
};
