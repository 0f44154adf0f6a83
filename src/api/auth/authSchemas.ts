import { z } from '../openapi/zod';

const password = z.string().min(8, 'at least 8 characters').max(128);
const email = z.string().trim().max(254).email();
const phone = z.string().trim().min(5).max(32).openapi({ example: '+91 98765 43210' });

/**
 * Where a trainer is based: the spec writes a place name ("Society A"); coordinates, when given,
 * let the schedule planner weigh travel from home. Both coordinates or neither.
 */
const location = z
  .union([
    z.string().trim().min(1).max(200),
    z
      .strictObject({
        address: z.string().trim().max(200).optional(),
        latitude: z.number().min(-90).max(90).optional(),
        longitude: z.number().min(-180).max(180).optional(),
      })
      .refine((l) => (l.latitude === undefined) === (l.longitude === undefined), {
        message: 'give both latitude and longitude, or neither',
      }),
  ])
  .openapi({ description: 'A place name, or {address, latitude, longitude}' });

export const signupBody = z
  .discriminatedUnion('role', [
    z.strictObject({
      role: z.literal('member'),
      name: z.string().trim().min(1).max(120),
      email,
      phone_number: phone,
      password,
      society_id: z.string().uuid().optional().openapi({
        description:
          'The society the member applies to join; without it, apply later with POST /members {society_id}',
      }),
    }),
    z.strictObject({
      role: z.literal('trainer'),
      name: z.string().trim().min(1).max(120),
      email,
      phone_number: phone,
      password,
      specialization: z
        .union([z.string().trim().min(1).max(60), z.array(z.string().trim().min(1).max(60)).min(1).max(10)])
        .optional()
        .openapi({ description: 'One or several; without it, an admin adds the trainer profile later' }),
      location: location.optional(),
    }),
    z.strictObject({
      role: z.literal('society_admin'),
      name: z.string().trim().min(1).max(120),
      email,
      phone_number: phone,
      password,
    }),
  ])
  .openapi('Signup');

export const loginBody = z
  .union([
    z.strictObject({ email, password: z.string().max(128) }),
    z.strictObject({ phone_number: phone, password: z.string().max(128) }),
  ])
  .openapi('Login');

export const refreshBody = z.strictObject({ refresh_token: z.string().min(10).max(200) }).openapi('Refresh');
export const otpVerifyBody = z
  .strictObject({ code: z.string().regex(/^\d{6}$/, 'six digits') })
  .openapi('OtpVerify');

export const userSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    email: z.string(),
    phone_number: z.string().nullable(),
    phone_verified: z.boolean(),
    role: z.enum(['member', 'trainer', 'society_admin', 'super_admin', 'auditor']),
    status: z.enum(['active', 'inactive']),
    society_id: z.string().uuid().nullable(),
    administers: z.array(z.string().uuid()),
  })
  .openapi('User');

const sessionFields = {
  token: z.string().openapi({ description: 'Access token (JWT, HS256), send as Authorization: Bearer' }),
  refresh_token: z.string(),
  expires_in: z.number().int().openapi({ description: 'Seconds the access token is valid' }),
  user: userSchema,
};

export const sessionSchema = z.object(sessionFields).openapi('Session');

/** Signup answers the new account at the top level (as the spec shows it) beside the session. */
export const signupAnswerSchema = userSchema
  .extend({ created_at: z.string(), updated_at: z.string(), ...sessionFields })
  .openapi('SignupAnswer');

export const logoutBody = z
  .strictObject({ refresh_token: z.string().min(10).max(200) })
  .partial()
  .openapi('Logout');

export const logoutAnswerSchema = z
  .object({
    message: z.string(),
    revoked_sessions: z
      .number()
      .int()
      .openapi({ description: 'Refresh tokens revoked now (0: the session had already ended)' }),
  })
  .openapi('LoggedOut');
