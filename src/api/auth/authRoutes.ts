import { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { PostgresRateLimitStore } from '../http/postgresRateLimitStore';
import type { Knex } from 'knex';
import { normaliseEmail, normalisePhone } from '../../commands/identity/contactDetails';
import { registerUser, setUserActive, verifyPhone } from '../../commands/identity/identityCommands';
import { applyForMembership } from '../../commands/members/memberCommands';
import { createTrainerProfile } from '../../commands/trainers/trainerCommands';
import { CommandRefusedError } from '../../commands/shared/commandHandler';
import { decoyHash, hashPassword, verifyPassword } from '../../commands/identity/passwords';
import {
  administeredSocieties,
  findCredentials,
  findUser,
  type UserRow,
} from '../../projections/identity/userQueries';
import { findSociety } from '../../projections/societies/societyQueries';
import type { ApiDependencies } from '../dependencies';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { sendProblem } from '../http/problem';
import { addRoute, type RouteBook } from '../http/route';
import { z } from '../openapi/zod';
import { json, problems } from '../http/responses';
import { publicAccess, rolesOnly, signedIn } from './access';
import {
  loginBody,
  logoutAnswerSchema,
  logoutBody,
  otpVerifyBody,
  refreshBody,
  sessionSchema,
  signupAnswerSchema,
  signupBody,
  userSchema,
} from './authSchemas';
import { throttleKey } from './loginThrottle';
import { signupAnswer, trainerSignupDetails } from './signupDetails';
import { OTP_TTL_SECONDS } from './phoneOtp';
import { API_BASE } from '../http/basePath';

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

export const toUserView = async (knex: Knex, user: UserRow) => ({
  id: user.id,
  name: user.name,
  email: user.email,
  phone_number: user.phone_number,
  phone_verified: user.phone_verified,
  role: user.role,
  status: user.status,
  society_id: user.society_id,
  administers: user.role === 'society_admin' ? await administeredSocieties(knex, user.id) : [],
});

export const authRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites, identity } = deps;
  const base = API_BASE;

  // Per address: signup, login and codes are what attackers hammer. Accounts are throttled apart.
  const limiter = rateLimit({
    // Counted in PostgreSQL: every replica shares one budget per address.
    store: new PostgresRateLimitStore(knex, 'auth:'),
    windowMs: 60_000,
    limit: identity.authRateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 60;
      res.set('Retry-After', String(seconds));
      sendProblem(res, { type: 'rate-limited', title: 'Too many requests; slow down', status: 429 });
    },
  });
  router.use(['/auth/signup', '/auth/login', '/auth/otp'], limiter);

  const session = async (user: UserRow) => {
    const administers = user.role === 'society_admin' ? await administeredSocieties(knex, user.id) : [];
    return {
      token: identity.tokens.issueAccess({ sub: user.id, role: user.role, societies: administers }),
      refresh_token: await identity.refreshTokens.issue(user.id),
      expires_in: identity.tokens.accessTtlSeconds,
      user: await toUserView(knex, user),
    };
  };

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
      const trainer = body.role === 'trainer' ? trainerSignupDetails(body) : null;
      const metadata = commandMetadata(req, 'RegisterUser');
      const userId = newEntityId(metadata);
      const outcome = await registerUser(
        commands,
        {
          userId,
          name: body.name,
          email,
          phoneNumber,
          role: body.role,
          passwordHash: await hashPassword(body.password),
          societyId,
          trainer,
        },
        { ...metadata, actor: { id: userId, role: body.role } },
      );
      // A member's signup naming a society is also their application to it (pending until an admin decides).
      const applied = societyId
        ? await applyForMembership(
            commands,
            { memberId: userId, userId, name: body.name, email, phoneNumber, societyId },
            { ...metadata, commandType: 'ApplyForMembership', actor: { id: userId, role: 'member' } },
          ).catch((error: unknown) => {
            // Already onboarded by an admin under this email or phone: the account stands, the
            // existing member record is theirs to link (not done yet; see README).
            if (error instanceof CommandRefusedError && error.refusal.status === 409) return undefined;
            throw error;
          })
        : undefined;
      // A trainer's signup naming what they teach also opens their trainer profile; without a
      // specialization there is nothing to match classes on, so an admin adds the profile later
      // (POST /trainers takes it from the body or from this account).
      const profile =
        trainer && trainer.specialization.length > 0
          ? await createTrainerProfile(
              commands,
              {
                trainerId: userId,
                createdBy: null,
                details: { name: body.name, email, phoneNumber, ...trainer },
              },
              { ...metadata, commandType: 'CreateTrainerProfile', actor: { id: userId, role: 'trainer' } },
            )
          : undefined;
      const user = (await readYourWrites.caughtUp(applied?.position ?? profile?.position ?? outcome.position))
        ? await findUser(knex, userId)
        : undefined;
      if (!user) return { status: 202, body: { status: 'accepted', id: userId } };
      return {
        status: 201,
        headers: { Location: `${base}/auth/me` },
        body: signupAnswer(user, await session(user)),
      };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in with email or phone and password',
    tags: ['Auth'],
    access: publicAccess,
    body: loginBody,
    responses: { 200: json(sessionSchema, 'Signed in'), ...problems(400, 401, 429, 503) },
    handler: async ({ body }) => {
      const login =
        'email' in body
          ? { email: normaliseEmail(body.email) }
          : { phoneNumber: normalisePhone(body.phone_number) ?? '' };
      const credentials = await findCredentials(knex, login);
      const accountKey = throttleKey(login, credentials?.user_id);
      const decision = await identity.throttle.attempt(accountKey);
      if (!decision.allowed) {
        throw new HttpProblem(
          429,
          'login-throttled',
          'Too many failed sign-ins for this account',
          `Try again in ${decision.retryAfterSeconds} s.`,
          {},
          { 'Retry-After': String(decision.retryAfterSeconds) },
        );
      }
      const valid = await verifyPassword(credentials?.password_hash ?? (await decoyHash()), body.password);
      const user = valid && credentials ? await findUser(knex, credentials.user_id) : undefined;
      if (!user) {
        await identity.throttle.recordFailure(accountKey);
        throw new HttpProblem(401, 'invalid-credentials', 'Wrong email, phone or password');
      }
      if (user.status !== 'active')
        throw new HttpProblem(401, 'unauthenticated', 'Sign in to do this', 'This account is inactive.');
      await identity.throttle.recordSuccess(accountKey);
      return { status: 200, body: await session(user) };
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
      if (rotated.kind === 'in-use') {
        throw new HttpProblem(
          409,
          'refresh-token-in-use',
          'This refresh token was just used by another request',
          'Another request refreshed with this token moments ago; use the refresh token that request received. This session stays signed in.',
        );
      }
      if (rotated.kind === 'reused') {
        throw new HttpProblem(
          401,
          'refresh-token-reused',
          'This refresh token was already used',
          'Every session of its family is now revoked; sign in again.',
        );
      }
      if (rotated.kind === 'invalid')
        throw new HttpProblem(401, 'invalid-refresh-token', 'The refresh token is not valid');
      const user = await findUser(knex, rotated.userId);
      if (!user || user.status !== 'active') {
        await identity.refreshTokens.revokeFamilyOf(rotated.token);
        throw new HttpProblem(401, 'unauthenticated', 'Sign in to do this', 'This account is inactive.');
      }
      const administers = user.role === 'society_admin' ? await administeredSocieties(knex, user.id) : [];
      return {
        status: 200,
        body: {
          token: identity.tokens.issueAccess({ sub: user.id, role: user.role, societies: administers }),
          refresh_token: rotated.token,
          expires_in: identity.tokens.accessTtlSeconds,
          user: await toUserView(knex, user),
        },
      };
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

  addRoute(router, book, base, {
    method: 'post',
    path: '/auth/otp/request',
    summary: 'Send a verification code to your phone',
    tags: ['Auth'],
    access: signedIn(),
    responses: {
      202: json(z.object({ expires_in: z.number().int() }), 'Code sent'),
      ...problems(401, 409, 422, 429, 503),
    },
    handler: async ({ principal }) => {
      const user = (await findUser(knex, principal.userId))!;
      if (!user.phone_number)
        throw new HttpProblem(422, 'no-phone-number', 'This account has no phone number');
      if (user.phone_verified)
        throw new HttpProblem(409, 'phone-already-verified', 'This phone number is already verified');
      await identity.otp.request(user.id, user.phone_number);
      return { status: 202, body: { expires_in: OTP_TTL_SECONDS } };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/auth/otp/verify',
    summary: 'Verify your phone with the code you received',
    tags: ['Auth'],
    access: signedIn(),
    body: otpVerifyBody,
    responses: {
      200: json(z.object({ phone_verified: z.literal(true) }), 'Verified'),
      ...problems(400, 401, 422, 429, 503),
    },
    handler: async ({ body, req, principal }) => {
      const { outcome, phoneNumber } = await identity.otp.check(principal.userId, body.code);
      switch (outcome) {
        case 'verified': {
          const result = await verifyPhone(
            commands,
            principal.userId,
            phoneNumber!,
            commandMetadata(req, 'VerifyPhone'),
          );
          await readYourWrites.caughtUp(result.position);
          return { status: 200, body: { phone_verified: true } };
        }
        case 'too-many-attempts':
          throw new HttpProblem(
            429,
            'too-many-attempts',
            'Too many wrong codes; request a new one',
            undefined,
            {},
            { 'Retry-After': '60' },
          );
        case 'wrong-code':
          throw new HttpProblem(422, 'wrong-code', 'That code is not right');
        case 'expired':
          throw new HttpProblem(422, 'code-expired', 'That code has expired; request a new one');
        case 'none-requested':
          throw new HttpProblem(422, 'no-code-requested', 'Request a code first');
      }
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/users/{id}/status',
    summary: 'Deactivate or reactivate an account',
    tags: ['Users'],
    access: rolesOnly(['super_admin']),
    params: z.strictObject({ id: z.string().uuid() }),
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
