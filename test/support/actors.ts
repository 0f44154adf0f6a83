import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ensureSuperAdmin } from '../../src/commands/identity/bootstrapSuperAdmin';
import type { TestApp } from './testApp';

export interface Actor {
  token: string;
  refreshToken: string;
  userId: string;
  email: string;
  password: string;
  auth: [string, string];
}

let phoneSeq = 0;
/** Distinct valid Indian mobile numbers for one test run. */
export const uniquePhone = () =>
  `+9198${String(Date.now() % 1_000_000).padStart(6, '0')}${String(phoneSeq++ % 100).padStart(2, '0')}`;

const asActor = (
  body: { token: string; refresh_token: string; user: { id: string } },
  email: string,
  password: string,
): Actor => ({
  token: body.token,
  refreshToken: body.refresh_token,
  userId: body.user.id,
  email,
  password,
  auth: ['Authorization', `Bearer ${body.token}`],
});

export const signUp = async (
  t: TestApp,
  role: 'member' | 'trainer' | 'society_admin',
  extra: Record<string, unknown> = {},
) => {
  const email = `${role}-${randomUUID()}@example.com`;
  const password = 'correct horse battery';
  const roleFields =
    role === 'trainer'
      ? { specialization: ['yoga'], location: { latitude: 28.6, longitude: 77.3 } }
      : role === 'member'
        ? { society_id: extra.society_id }
        : {};
  const res = await request(t.app)
    .post('/api/v1/auth/signup')
    .send({
      role,
      name: `Test ${role}`,
      email,
      phone_number: uniquePhone(),
      password,
      ...roleFields,
      ...extra,
    });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return asActor(res.body, email, password);
};

export const superAdmin = async (t: TestApp): Promise<Actor> => {
  const email = `root-${randomUUID()}@example.com`;
  const password = 'super secret passphrase';
  const { position } = await ensureSuperAdmin(t.commands, { email, password, name: 'Root' });
  await t.waiter.waitFor(position!, 10_000);
  const res = await request(t.app).post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return asActor(res.body, email, password);
};

/** The admin registers a society (a unique name; `details` adds or overrides fields); its id. */
export const registerSociety = async (
  t: TestApp,
  admin: Actor,
  details: Record<string, unknown> = {},
): Promise<string> => {
  const res = await request(t.app)
    .post('/api/v1/societies')
    .set(...admin.auth)
    .send({ name: `Society ${randomUUID()}`, location: 'Somewhere', ...details });
  if (res.status !== 201) throw new Error(`society failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
};

/** A society admin with a society of their own. */
export const adminWithSociety = async (t: TestApp) => {
  const admin = await signUp(t, 'society_admin');
  return { admin, societyId: await registerSociety(t, admin) };
};
