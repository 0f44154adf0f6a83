import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { adminWithSociety, uniquePhone, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

/**
 * Signup and logout with the spec's own bodies: a member signs up without a society and applies
 * afterwards, a trainer with one specialization and a place name, logout with a bearer token only.
 */
let t: TestApp;
let societyId: string;
beforeAll(async () => {
  t = await startTestApp();
  ({ societyId } = await adminWithSociety(t));
});
afterAll(async () => t.dispose());

const person = (role: string, extra: Record<string, unknown> = {}) => ({
  name: 'John Doe',
  email: `john-${randomUUID()}@example.com`,
  phone_number: uniquePhone(),
  role,
  password: 'password123',
  ...extra,
});

const signup = (body: Record<string, unknown>) => request(t.app).post('/api/v1/auth/signup').send(body);

const asActor = (res: request.Response): Actor => ({
  token: res.body.token,
  refreshToken: res.body.refresh_token,
  userId: res.body.id,
  email: res.body.email,
  password: 'password123',
  auth: ['Authorization', `Bearer ${res.body.token}`],
});

describe('a member signing up with the spec’s body (no society)', () => {
  it('gets an account with the spec’s top-level fields, and applies to a society afterwards', async () => {
    const body = person('member');
    const res = await signup(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      name: 'John Doe',
      email: body.email,
      role: 'member',
      status: 'active',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      token: expect.any(String),
      refresh_token: expect.any(String),
      user: { id: res.body.id, society_id: null },
    });
    const member = asActor(res);
    // No application yet: the account stands on its own.
    expect(
      (
        await request(t.app)
          .get(`/api/v1/members/${member.userId}`)
          .set(...member.auth)
      ).status,
    ).toBe(404);

    const applied = await request(t.app)
      .post('/api/v1/members')
      .set(...member.auth)
      .send({ society_id: societyId });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({
      id: member.userId,
      name: 'John Doe',
      email: body.email,
      status: 'pending',
      society_id: societyId,
      self_registered: true,
      onboarded_by: null,
    });

    // The account now belongs to that society (what members' class listings are scoped by).
    const me = await request(t.app)
      .get('/api/v1/auth/me')
      .set(...member.auth);
    expect(me.body.society_id).toBe(societyId);

    const again = await request(t.app)
      .post('/api/v1/members')
      .set(...member.auth)
      .send({ society_id: societyId });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already applied/);
  });

  it('refuses a member’s application to a society that does not exist, writing nothing', async () => {
    const member = asActor(await signup(person('member')));
    const before = await t.eventCount();
    const res = await request(t.app)
      .post('/api/v1/members')
      .set(...member.auth)
      .send({ society_id: randomUUID() });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/society-not-found$/);
    expect(await t.eventCount()).toBe(before);
  });

  it('still tells an admin onboarding someone which details are missing', async () => {
    const own = await adminWithSociety(t);
    const res = await request(t.app)
      .post('/api/v1/members')
      .set(...own.admin.auth)
      .send({ society_id: own.societyId });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/name, email and phone_number/);
  });
});

describe('a trainer signing up with the spec’s body', () => {
  it('accepts one specialization and a place name: a profile without coordinates', async () => {
    const res = await signup(person('trainer', { specialization: 'Yoga', location: 'Society A' }));
    expect(res.status).toBe(201);
    const trainer = asActor(res);
    const profile = await request(t.app)
      .get(`/api/v1/trainers/${trainer.userId}`)
      .set(...trainer.auth);
    expect(profile.status).toBe(200);
    // Shown as the spec's string or as a list of one, whichever the trainer view answers.
    expect([profile.body.specialization].flat()).toEqual(['Yoga']);
    const row = await t.db.knex('users').where({ id: trainer.userId }).first();
    expect(row.location).toEqual({ address: 'Society A', latitude: null, longitude: null });
  });

  it('accepts a trainer with neither: the account now, the profile when an admin adds them', async () => {
    const res = await signup(person('trainer'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'trainer', status: 'active' });
    const trainer = asActor(res);
    expect(
      (
        await request(t.app)
          .get(`/api/v1/trainers/${trainer.userId}`)
          .set(...trainer.auth)
      ).status,
    ).toBe(404);
  });
});

describe('logout', () => {
  const refresh = (token: string) =>
    request(t.app).post('/api/v1/auth/refresh').send({ refresh_token: token });

  it('with a bearer token only, signs out every session of the caller', async () => {
    const body = person('member');
    const user = asActor(await signup(body));
    const otherDevice = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: body.email, password: body.password });
    expect(otherDevice.status).toBe(200);

    const out = await request(t.app)
      .post('/api/v1/auth/logout')
      .set(...user.auth);
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ message: expect.any(String) });
    expect((await refresh(user.refreshToken)).status).toBe(401);
    expect((await refresh(otherDevice.body.refresh_token)).status).toBe(401);
  });

  it('with neither a bearer token nor a refresh token says what to send (401)', async () => {
    const res = await request(t.app).post('/api/v1/auth/logout');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.detail).toMatch(/refresh_token/);
  });
});
