import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { adminWithSociety, uniquePhone, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

// An Idempotency-Key belongs to one caller and one request (Stripe's semantics).
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

const signupBody = (email = `member-${randomUUID()}@example.com`) => ({
  role: 'society_admin',
  name: 'Asha',
  email,
  phone_number: uniquePhone(),
  password: 'correct horse battery',
});

const signup = (body: object, key: string) =>
  request(t.app).post('/api/v1/auth/signup').set('Idempotency-Key', key).send(body);

const createClass = (as: Actor, societyId: string, key: string, name = 'Morning Yoga') =>
  request(t.app)
    .post('/api/v1/events')
    .set(...as.auth)
    .set('Idempotency-Key', key)
    .send({
      name,
      society_id: societyId,
      class_type: 'yoga',
      date: '2031-05-06',
      start_time: '07:00',
      end_time: '08:00',
    });

const expectReused = (res: request.Response) => {
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.type).toMatch(/idempotency-key-reused$/);
  expect(res.body.detail).toMatch(/new key/);
};

describe('Idempotency-Key on signup (anonymous)', () => {
  it('a victim’s key with another password for the victim’s email is refused 422: no session, nothing written', async () => {
    const key = `signup-${randomUUID()}`;
    const victim = signupBody();
    expect((await signup(victim, key)).status).toBe(201);
    const before = await t.eventCount();
    const takeover = await signup({ ...victim, password: 'attacker chose this' }, key);
    expectReused(takeover);
    expect(takeover.body.token).toBeUndefined();
    expect(await t.eventCount()).toBe(before);
  });

  it('the same key with another person’s identity is an independent signup, not the first one’s answer', async () => {
    const key = `signup-${randomUUID()}`;
    const first = await signup(signupBody(), key);
    const second = await signup(signupBody(), key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.user.id).not.toBe(first.body.user.id);
  });
});

describe('Idempotency-Key on a signed-in command', () => {
  it('two admins with the same key create two classes, each in their own society', async () => {
    const key = `class-${randomUUID()}`;
    const a = await adminWithSociety(t);
    const b = await adminWithSociety(t);
    const first = await createClass(a.admin, a.societyId, key);
    const second = await createClass(b.admin, b.societyId, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(first.body.society_id).toBe(a.societyId);
    expect(second.body.society_id).toBe(b.societyId);
  });

  it('the same caller, key and body answer the first outcome again and write nothing', async () => {
    const key = `class-${randomUUID()}`;
    const { admin, societyId } = await adminWithSociety(t);
    const first = await createClass(admin, societyId, key);
    expect(first.status).toBe(201);
    const before = await t.eventCount();
    const again = await createClass(admin, societyId, key);
    expect(again.status).toBeLessThan(300);
    expect(again.body.id).toBe(first.body.id);
    expect(await t.eventCount()).toBe(before);
  });

  it('the same caller and key with a different body is refused 422 and writes nothing', async () => {
    const key = `class-${randomUUID()}`;
    const { admin, societyId } = await adminWithSociety(t);
    expect((await createClass(admin, societyId, key)).status).toBe(201);
    const before = await t.eventCount();
    expectReused(await createClass(admin, societyId, key, 'Evening Yoga'));
    expect(await t.eventCount()).toBe(before);
  });

  it('a key over 255 characters is refused 400', async () => {
    const { admin, societyId } = await adminWithSociety(t);
    const res = await createClass(admin, societyId, 'k'.repeat(256));
    expect(res.status).toBe(400);
  });

  it('the history does not show the client’s key', async () => {
    const key = `visible-${randomUUID()}`;
    const { admin, societyId } = await adminWithSociety(t);
    expect((await createClass(admin, societyId, key)).status).toBe(201);
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE metadata::text LIKE '%' || $1 || '%'`,
      [key],
    );
    expect(rows[0].n).toBe(0);
  });
});
