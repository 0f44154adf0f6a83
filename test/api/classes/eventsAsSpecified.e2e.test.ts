import request from 'supertest';
import { registerSociety, signUp, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

/**
 * Events (classes) scheduled from the spec's bodies, which name no class type, and from the
 * updated event design's (an instant, a duration and a place, no society); their activities.
 */
let t: TestApp;
let admin: Actor;
let societyId: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t, 'society_admin');
  societyId = await registerSociety(t, admin, { location: 'Sector 18', latitude: 28.6, longitude: 77.3 });
});
afterAll(async () => t.dispose());

const api = '/api/v1';
const kind = (body: { type?: string }) => String(body.type).split('/').pop();
const post = (path: string, body: object, as: Actor = admin) =>
  request(t.app)
    .post(`${api}${path}`)
    .set(...as.auth)
    .send(body);

/** A refused request writes nothing. */
const refused = async (send: () => Promise<request.Response>, status: number, type: string) => {
  const before = await t.eventCount();
  const res = await send();
  expect([res.status, kind(res.body)]).toEqual([status, type]);
  expect(await t.eventCount()).toBe(before);
  return res;
};

describe('POST /events without a class type', () => {
  it('takes the class type from the trainer’s one specialization', async () => {
    const coach = await signUp(t, 'trainer', { specialization: ['Pilates'] });
    const res = await post('/events', {
      name: 'Evening Stretch',
      society_id: societyId,
      trainer_id: coach.userId,
      event_date: '2030-03-05',
      start_time: '6:00 PM',
      end_time: '7:00 PM',
      max_members: 20,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      class_type: 'Pilates',
      trainer_id: coach.userId,
      event_id: res.body.id,
    });
  });

  it('takes the one the name mentions from a trainer of several, else the name without “Class”', async () => {
    const coach = await signUp(t, 'trainer', { specialization: ['Zumba', 'Yoga'] });
    const named = { society_id: societyId, event_date: '2030-03-06', max_members: 10 };
    const yoga = await post('/events', {
      ...named,
      name: 'Yoga Class',
      trainer_id: coach.userId,
      start_time: '09:00',
      end_time: '10:00',
    });
    expect([yoga.status, yoga.body.class_type]).toEqual([201, 'Yoga']);
    const untaught = await post('/events', {
      ...named,
      name: 'Salsa Class',
      start_time: '11:00',
      end_time: '12:00',
    });
    expect([untaught.status, untaught.body.class_type]).toEqual([201, 'salsa']);
    const unclear = await refused(
      () =>
        post('/events', {
          ...named,
          name: 'Morning Movement',
          trainer_id: coach.userId,
          start_time: '13:00',
          end_time: '14:00',
        }),
      422,
      'class-type-required',
    );
    expect(unclear.body.detail).toMatch(/Zumba, Yoga.*give class_type/);
  });
});

describe('POST /events with the updated event design’s body', () => {
  it('reads the instant in the society’s zone, ends after duration, keeps the place, and needs no society_id', async () => {
    const coach = await signUp(t, 'trainer', { specialization: ['yoga'] });
    const res = await post('/events', {
      name: 'Yoga Workshop',
      date: '2030-03-07T10:00:00Z',
      duration: 120,
      location: 'Community Hall',
      trainer_id: coach.userId,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      status: 'scheduled',
      society_id: societyId,
      class_type: 'yoga',
      // 10:00 UTC is 15:30 in Asia/Kolkata, the society's zone.
      event_date: '2030-03-07',
      start_time: '15:30',
      end_time: '17:30',
      duration: 120,
      location: 'Community Hall',
      starts_at: '2030-03-07T10:00:00.000Z',
    });
    const read = await request(t.app)
      .get(`${api}/events/${res.body.id}`)
      .set(...admin.auth);
    expect(read.body.location).toBe('Community Hall');
  });

  it('refuses a class that would run past local midnight, and an admin of several societies who names none', async () => {
    await refused(
      () => post('/events', { name: 'Late Yoga', date: '2030-03-07T17:30:00Z', duration: 90 }),
      400,
      'invalid-class-times',
    );
    const busy = await signUp(t, 'society_admin');
    const first = await registerSociety(t, busy);
    const second = await registerSociety(t, busy);
    const res = await refused(
      () => post('/events', { name: 'Yoga Workshop', date: '2030-03-07T04:00:00Z', duration: 60 }, busy),
      422,
      'society-required',
    );
    expect(res.body.detail).toContain(first);
    expect(res.body.detail).toContain(second);
    await refused(
      () =>
        post('/events', { name: 'Yoga', date: '2030-03-07T04:00:00Z', start_time: '09:00', duration: 60 }),
      400,
      'validation-error',
    );
  });
});

describe('activities and lists as the spec shows them', () => {
  it('answers an added activity with {id, status}, a move with a message, and lists as bare arrays', async () => {
    const klass = await post('/events', {
      name: 'Yoga Class',
      society_id: societyId,
      event_date: '2030-03-08',
      start_time: '09:00',
      end_time: '10:00',
      max_members: 20,
    });
    const added = await post(`/events/${klass.body.id}/activities`, {
      name: 'Warm-up Session',
      duration: 15,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: expect.any(String), status: 'Added' });
    await post(`/events/${klass.body.id}/activities`, { name: 'Poses', duration: 30 });
    const moved = await request(t.app)
      .put(`${api}/events/${klass.body.id}/activities/${added.body.id}`)
      .set(...admin.auth)
      .send({ order: 2 });
    expect(moved.status).toBe(200);
    expect(moved.body.message).toBe('Activity order updated successfully');
    const activities = await request(t.app)
      .get(`${api}/events/${klass.body.id}/activities`)
      .set(...admin.auth);
    expect(activities.body.map((a: { name: string; order: number }) => [a.order, a.name])).toEqual([
      [1, 'Poses'],
      [2, 'Warm-up Session'],
    ]);
    const page = await request(t.app)
      .get(`${api}/events?society_id=${societyId}&limit=1`)
      .set(...admin.auth);
    expect(page.status).toBe(200);
    expect(Array.isArray(page.body)).toBe(true);
    expect(page.body[0]).toMatchObject({ event_id: expect.any(String), max_members: expect.any(Number) });
    expect(page.headers.link).toMatch(/rel="next"/);
    const next = await request(t.app)
      .get(`${api}/events?society_id=${societyId}&limit=1&cursor=${page.headers['arcfit-next-cursor']}`)
      .set(...admin.auth);
    expect(next.body[0].event_id).not.toBe(page.body[0].event_id);
  });
});
