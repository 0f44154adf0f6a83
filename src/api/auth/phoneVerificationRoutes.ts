import { Router } from 'express';
import { verifyPhone } from '../../commands/identity/identityCommands';
import { findUser } from '../../projections/identity/userQueries';
import { z } from '../openapi/zod';
import type { ApiDependencies } from '../dependencies';
import { API_BASE } from '../http/basePath';
import { commandMetadata } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { signedIn } from './access';
import { otpVerifyBody } from './authSchemas';
import { OTP_TTL_SECONDS, type OtpCheck } from './phoneOtp';

/** Why a code did not verify the phone, as the caller should hear it. */
const codeRefused = (outcome: Exclude<OtpCheck, 'verified'>) => {
  switch (outcome) {
    case 'too-many-attempts':
      return new HttpProblem(
        429,
        'too-many-attempts',
        'Too many wrong codes; request a new one',
        undefined,
        {},
        { 'Retry-After': '60' },
      );
    case 'wrong-code':
      return new HttpProblem(422, 'wrong-code', 'That code is not right');
    case 'expired':
      return new HttpProblem(422, 'code-expired', 'That code has expired; request a new one');
    case 'none-requested':
      return new HttpProblem(422, 'no-code-requested', 'Request a code first');
  }
};

/** Verifying the signed-in user's phone number with a one-time code sent by SMS. */
export const phoneVerificationRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites, identity } = deps;
  const base = API_BASE;

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
      if (outcome !== 'verified') throw codeRefused(outcome);
      const result = await verifyPhone(
        commands,
        principal.userId,
        phoneNumber!,
        commandMetadata(req, 'VerifyPhone'),
      );
      await readYourWrites.caughtUp(result.position);
      return { status: 200, body: { phone_verified: true } };
    },
  });

  return router;
};
