import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import request from 'supertest';
import { registerSociety, signUp, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

/**
 * The hot reads' round trips to PostgreSQL, counted per request: the statements sent while the
 * request is served (the projections' own work runs outside its async context and is not counted).
 * A signed-in read is the principal lookup plus its read; the principal carries the member's
 * society, so no read asks for the user row again.
 */
const serving = new AsyncLocalStorage<{ statements: number }>();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  const counter = serving.getStore();
  if (counter) counter.statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

let t: TestApp;
let member: Actor;
let societyId: string;
let classId: string;
beforeAll(async () => {
  t = await startTestApp();
  const admin = await signUp(t, 'society_admin');
  societyId = await registerSociety(t, admin);
  member = await signUp(t, 'member', { society_id: societyId });
  const created = await request(t.app)
    .post('/api/v1/events')
    .set(...admin.auth)
    .send({
      name: 'Morning Yoga',
      class_type: 'Yoga',
      society_id: societyId,
      event_date: '2031-04-07',
      start_time: '7:00 AM',
      end_time: '8:00 AM',
      max_members: 10,
    });
  expect(created.status).toBe(201);
  classId = created.body.id;
  await t.waiter.waitFor(await t.store.headPosition(), 10_000);
});
afterAll(async () => t.dispose());

/** The statements one GET sends, after a first one warmed the pool's connections. */
const statementsOf = async (path: string, as?: Actor) => {
  const get = () => {
    const req = request(t.app).get(path);
    return as ? req.set(...as.auth) : req;
  };
  expect((await get()).status).toBe(200);
  const counter = { statements: 0 };
  const res = await serving.run(counter, () => get().then((r) => r));
  expect(res.status).toBe(200);
  return counter.statements;
};

describe('statements per hot read', () => {
  it('GET /health sends none', async () => {
    expect(await statementsOf('/health')).toBe(0);
  });

  it('GET /events?society_id: the principal and the list', async () => {
    expect(await statementsOf(`/api/v1/events?society_id=${societyId}`, member)).toBe(2);
  });

  it('GET /events/{id}: the principal and the class', async () => {
    expect(await statementsOf(`/api/v1/events/${classId}`, member)).toBe(2);
  });

  it('GET /members/{id}/bookings, the member’s own: the principal, then the list', async () => {
    expect(await statementsOf(`/api/v1/members/${member.userId}/bookings`, member)).toBe(2);
  });

  it('GET /societies: the list, and the principal when signed in', async () => {
    expect(await statementsOf('/api/v1/societies')).toBe(1);
    expect(await statementsOf('/api/v1/societies', member)).toBe(2);
  });
});
