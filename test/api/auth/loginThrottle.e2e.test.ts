import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signUp, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

/**
 * Failed sign-ins slow an ACCOUNT down, however the attempts arrive: in parallel, from several
 * replicas (the count lives in PostgreSQL), or split between the account's email and its phone.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

const login = (body: object) => request(t.app).post('/api/v1/auth/login').send(body);

const phoneOf = async (user: Actor): Promise<string> =>
  (await t.db.knex('users').where({ id: user.userId }).first('phone_number')).phone_number;

const expectThrottled = (res: request.Response) => {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toMatch(/login-throttled$/);
  expect(res.body.detail).toMatch(/try again in \d+ s/i);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
};

describe('login throttling', () => {
  it('evaluates at most five of twenty parallel wrong guesses; the rest are throttled', async () => {
    const user = await signUp(t, 'society_admin');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => login({ email: user.email, password: 'wrong password' })),
    );
    const evaluated = results.filter((r) => r.status === 401);
    const throttled = results.filter((r) => r.status !== 401);
    expect(evaluated.length).toBeLessThanOrEqual(5);
    expect(throttled.length).toBeGreaterThanOrEqual(15);
    throttled.forEach(expectThrottled);
  });

  it('counts the email and the phone number of one account together', async () => {
    const user = await signUp(t, 'society_admin');
    const phone = await phoneOf(user);
    const statuses: number[] = [];
    for (const body of [
      { email: user.email },
      { phone_number: phone },
      { email: user.email },
      { phone_number: phone },
      { email: user.email },
    ])
      statuses.push((await login({ ...body, password: 'wrong password' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expectThrottled(await login({ phone_number: phone, password: 'wrong password' }));
  });

  it('refuses even the right password while throttled, and lets it in once the window has passed', async () => {
    const user = await signUp(t, 'society_admin');
    for (let i = 0; i < 5; i++)
      expect((await login({ email: user.email, password: 'wrong' })).status).toBe(401);
    expectThrottled(await login({ email: user.email, password: user.password }));

    // The window passing, without waiting for it: the block ends now.
    await t.db.knex('login_throttle').update({ blocked_until: t.db.knex.raw("now() - interval '1 second'") });
    const after = await login({ email: user.email, password: user.password });
    expect(after.status).toBe(200);
    expect(after.body.user.id).toBe(user.userId);
  });

  it('clears the count when the right password gets in', async () => {
    const user = await signUp(t, 'society_admin');
    for (let i = 0; i < 4; i++)
      expect((await login({ email: user.email, password: 'wrong' })).status).toBe(401);
    expect((await login({ email: user.email, password: user.password })).status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await login({ email: user.email, password: 'wrong' })).status).toBe(401);
  });

  it('throttles an unknown identifier exactly as it throttles a known account', async () => {
    const known = await signUp(t, 'society_admin');
    const unknown = `nobody-${randomUUID()}@example.com`;
    const statusesFor = async (email: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await login({ email, password: 'wrong password' })).status);
      return statuses;
    };
    const knownStatuses = await statusesFor(known.email);
    expect(knownStatuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await statusesFor(unknown)).toEqual(knownStatuses);
  });
});
