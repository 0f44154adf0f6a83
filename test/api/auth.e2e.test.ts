import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { ensureSuperAdmin } from '../../src/commands/identity/bootstrapSuperAdmin';
import { adminWithSociety, signUp, superAdmin, uniquePhone, type Actor } from '../support/actors';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/testApp';

let t: TestApp;
let societyId: string;
let root: Actor;
beforeAll(async () => {
  t = await startTestApp();
  ({ societyId } = await adminWithSociety(t));
  root = await superAdmin(t);
});
afterAll(async () => t.dispose());

const me = (token: string) => request(t.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

describe('signup and login', () => {
  it('signs a member up for a society, and never shows the password', async () => {
    const email = `Asha.${randomUUID()}@Example.COM`;
    const res = await request(t.app).post('/api/v1/auth/signup').send({
      role: 'member',
      name: 'Asha',
      email,
      phone_number: '98765 43210',
      password: 'long enough pw',
      society_id: societyId,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      expires_in: 900,
      user: {
        email: email.toLowerCase(),
        phone_number: '+919876543210',
        role: 'member',
        society_id: societyId,
        status: 'active',
      },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/long enough pw|argon2/);
    expect((await me(res.body.token)).body.id).toBe(res.body.user.id);

    const byPhone = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ phone_number: '+91 98765-43210', password: 'long enough pw' });
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.user.id).toBe(res.body.user.id);
  });

  it('files the signup of a member as a pending application to the society', async () => {
    const member = await signUp(t, 'member', { society_id: societyId });
    const application = await request(t.app)
      .get(`/api/v1/members/${member.userId}`)
      .set(...member.auth);
    expect(application.status).toBe(200);
    expect(application.body).toMatchObject({
      id: member.userId,
      status: 'pending',
      society: { id: societyId },
    });
  });

  it('opens a trainer profile when a trainer signs up', async () => {
    const trainer = await signUp(t, 'trainer');
    const profile = await request(t.app)
      .get(`/api/v1/trainers/${trainer.userId}`)
      .set(...trainer.auth);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ id: trainer.userId, max_classes_per_day: 3 });
    // The trainer view may answer the spec's string or a list: either way, what they signed up with.
    expect([profile.body.specialization].flat().join(', ')).toBe('yoga');
  });

  it('signs up trainers with their specialization and location', async () => {
    const trainer = await signUp(t, 'trainer');
    const profile = await t.db.knex('users').where({ id: trainer.userId }).first();
    expect(profile).toMatchObject({
      role: 'trainer',
      specialization: ['yoga'],
      location: { latitude: 28.6, longitude: 77.3 },
    });
  });

  it('gives an email to exactly one of 50 concurrent signups', async () => {
    const email = `race-${randomUUID()}@example.com`;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(t.app).post('/api/v1/auth/signup').send({
          role: 'society_admin',
          name: 'Racer',
          email,
          phone_number: uniquePhone(),
          password: 'long enough pw',
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.type).toMatch(/email-taken$/);
    }
    expect(await t.db.knex('users').where({ email })).toHaveLength(1);
  });

  it('refuses a taken phone number and gives the email back for a later signup', async () => {
    const phone = uniquePhone();
    const email = `phone-${randomUUID()}@example.com`;
    await request(t.app)
      .post('/api/v1/auth/signup')
      .send({
        role: 'society_admin',
        name: 'A',
        email: `first-${email}`,
        phone_number: phone,
        password: 'long enough pw',
      });
    const clash = await request(t.app)
      .post('/api/v1/auth/signup')
      .send({ role: 'society_admin', name: 'B', email, phone_number: phone, password: 'long enough pw' });
    expect(clash.status).toBe(409);
    expect(clash.body.type).toMatch(/phone-number-taken$/);
    const retry = await request(t.app).post('/api/v1/auth/signup').send({
      role: 'society_admin',
      name: 'B',
      email,
      phone_number: uniquePhone(),
      password: 'long enough pw',
    });
    expect(retry.status).toBe(201);
  });

  it('refuses bad signups with problem documents and writes nothing', async () => {
    const before = await t.eventCount();
    const base = {
      name: 'X',
      email: `x-${randomUUID()}@example.com`,
      phone_number: uniquePhone(),
      password: 'long enough pw',
    };
    const cases = [
      [{ ...base, role: 'super_admin' }, 400],
      // A member may sign up without a society (and apply later); a trainer's half a position is refused.
      [{ ...base, role: 'trainer', specialization: 'Yoga', location: { latitude: 28.6 } }, 400],
      [{ ...base, role: 'member', society_id: randomUUID() }, 422],
      [{ ...base, role: 'society_admin', password: 'short' }, 400],
      [{ ...base, role: 'society_admin', phone_number: '12' }, 400],
      [{ ...base, role: 'society_admin', status: 'active' }, 400],
    ] as const;
    for (const [body, status] of cases) {
      const res = await request(t.app).post('/api/v1/auth/signup').send(body);
      expect([res.status, res.headers['content-type']]).toEqual([
        status,
        expect.stringMatching(/problem\+json/),
      ]);
    }
    expect(await t.eventCount()).toBe(before);
  });

  it('creates the bootstrap super admin once, however often it runs', async () => {
    const input = { email: `boot-${randomUUID()}@example.com`, password: 'a long passphrase', name: 'Boot' };
    const outcomes = await Promise.all([
      ensureSuperAdmin(t.commands, input),
      ensureSuperAdmin(t.commands, input),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['created', 'exists']);
    expect((await ensureSuperAdmin(t.commands, input)).outcome).toBe('exists');
  });
});

describe('access tokens', () => {
  let member: Actor;
  beforeAll(async () => {
    member = await signUp(t, 'member', { society_id: societyId });
  });
  const claims = () => jwt.decode(member.token) as jwt.JwtPayload;
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('accepts the real token', async () => {
    expect((await me(member.token)).status).toBe(200);
  });

  it.each([
    ['alg none', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`],
    ['another key', () => jwt.sign({ ...claims() }, 'some-other-secret-some-other-secret-12345')],
    ['another algorithm', () => jwt.sign({ ...claims() }, TEST_JWT_SECRET, { algorithm: 'HS512' })],
    ['expired', () => jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 10 }, TEST_JWT_SECRET)],
    ['another audience', () => jwt.sign({ ...claims(), aud: 'someone-else' }, TEST_JWT_SECRET)],
    [
      'a tampered payload',
      () => {
        const [header, , signature] = member.token.split('.');
        return `${header}.${base64url({ ...claims(), role: 'super_admin' })}.${signature}`;
      },
    ],
    ['garbage', () => 'not-a-token'],
  ])('refuses a token with %s (401)', async (_label, forge) => {
    const res = await me(forge());
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.type).toMatch(/unauthenticated$/);
  });

  it('refuses a valid token once its user is deactivated, and its refresh token too', async () => {
    const victim = await signUp(t, 'member', { society_id: societyId });
    const off = await request(t.app)
      .post(`/api/v1/users/${victim.userId}/status`)
      .set(...root.auth)
      .send({ status: 'inactive', reason: 'left' });
    expect(off.status).toBe(200);
    expect((await me(victim.token)).status).toBe(401);
    expect(
      (await request(t.app).post('/api/v1/auth/refresh').send({ refresh_token: victim.refreshToken })).status,
    ).toBe(401);
    const login = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: victim.email, password: victim.password });
    expect(login.status).toBe(401);
  });
});

// Refresh-token rotation, races and reuse: test/api/auth/refreshTokens.e2e.test.ts

describe('phone verification', () => {
  const lastCodeFor = async (phone: string) => {
    const row = await t.db
      .knex('notification_outbox')
      .where({ channel: 'sms', recipient: phone })
      .orderBy('created_at', 'desc')
      .first();
    return /(\d{6})/.exec(row.body)![1]!;
  };

  it('sends a code through the outbox and verifies the phone with it', async () => {
    const user = await signUp(t, 'society_admin');
    const { phone_number: phone } = (await me(user.token)).body;
    expect(
      (
        await request(t.app)
          .post('/api/v1/auth/otp/request')
          .set(...user.auth)
      ).status,
    ).toBe(202);
    const code = await lastCodeFor(phone);
    const stored = await t.db.knex('phone_otps').where({ user_id: user.userId }).first();
    expect(stored.code_hash).not.toContain(code);
    const wrong = await request(t.app)
      .post('/api/v1/auth/otp/verify')
      .set(...user.auth)
      .send({ code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    const right = await request(t.app)
      .post('/api/v1/auth/otp/verify')
      .set(...user.auth)
      .send({ code });
    expect(right.status).toBe(200);
    expect((await me(user.token)).body.phone_verified).toBe(true);
  });

  it('stops accepting codes after five wrong tries', async () => {
    const user = await signUp(t, 'society_admin');
    const { phone_number: phone } = (await me(user.token)).body;
    await request(t.app)
      .post('/api/v1/auth/otp/request')
      .set(...user.auth);
    const code = await lastCodeFor(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      await request(t.app)
        .post('/api/v1/auth/otp/verify')
        .set(...user.auth)
        .send({ code: wrong });
    const blocked = await request(t.app)
      .post('/api/v1/auth/otp/verify')
      .set(...user.auth)
      .send({ code });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });
});

describe('abuse', () => {
  // Per-account login throttling: test/api/auth/loginThrottle.e2e.test.ts

  it('rate-limits signup, login and codes per address with 429 and Retry-After', async () => {
    const limited = await startTestApp({ authRateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (
            await request(limited.app)
              .post('/api/v1/auth/login')
              .send({ email: 'nobody@example.com', password: 'x' })
          ).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      const res = await request(limited.app)
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@example.com', password: 'x' });
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body.type).toMatch(/rate-limited$/);
    } finally {
      await limited.dispose();
    }
  });
});
