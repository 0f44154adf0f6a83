import { z } from '../openapi/zod';

const password = z.string().min(8, 'at least 8 characters').max(128);
const email = z.string().trim().max(254).email();
const phone = z.string().trim().min(5).max(32).openapi({ example: '+91 98765 43210' });

const location = z.strictObject({
  address: z.string().trim().max(200).optional(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

export const signupBody = z
  .discriminatedUnion('role', [
    z.strictObject({
      role: z.literal('member'),
      name: z.string().trim().min(1).max(120),
      email,
      phone_number: phone,
      password,
      society_id: z.string().uuid().openapi({ description: 'The society the member applies to join' }),
    }),
    z.strictObject({
      role: z.literal('trainer'),
      name: z.string().trim().min(1).max(120),
      email,
      phone_number: phone,
      password,
      specialization: z.union([
        z.string().trim().min(1).max(60),
        z.array(z.string().trim().min(1).max(60)).min(1).max(10),
      ]),
      location,
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

export const sessionSchema = z
  .object({
    token: z.string().openapi({ description: 'Access token (JWT, HS256), send as Authorization: Bearer' }),
    refresh_token: z.string(),
    expires_in: z.number().int().openapi({ description: 'Seconds the access token is valid' }),
    user: userSchema,
  })
  .openapi('Session');
