import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import request from 'supertest';
import { scheduleClass } from '../../src/commands/classes/classCommands';
import { streams } from '../../src/events/streams';
import { classesProjection } from '../../src/projections/classes/classesProjection';
import { registerSociety, signUp, superAdmin, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';
import { applyEvents } from '../../src/projections/engine/projection';

let t: TestApp;
let root: Actor;
let adminX: Actor;
let adminY: Actor;
let societyX: string;
let societyY: string;
let memberX: Actor;
let memberY: Actor;

// 2030-03-04 is a Monday; every test uses its own dates and trainers so they do not interact.
const MONDAY = '2030-03-04';

const society = (admin: Actor, extra: Record<string, unknown> = {}) =>
  registerSociety(t, admin, {
    location: 'Sector 18, Noida',
    latitude: 28.6,
    longitude: 77.3,
    max_members_per_event: 25,
    ...extra,
  });

beforeAll(async () => {
  t = await startTestApp();
  root = await superAdmin(t);
  adminX = await signUp(t, 'society_admin');
  adminY = await signUp(t, 'society_admin');
  societyX = await society(adminX);
  societyY = await society(adminY);
  memberX = await signUp(t, 'member', { society_id: societyX });
  memberY = await signUp(t, 'member', { society_id: societyY });
});
afterAll(async () => t.dispose());

const expectProblem = (res: request.Response, status: number, type: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`${type}$`)) });
};

/** A refused request writes nothing. */
const refusedWithoutWriting = async (send: () => Promise<request.Response>, status: number, type: string) => {
  const before = await t.eventCount();
  const res = await send();
  expectProblem(res, status, type);
  expect(await t.eventCount()).toBe(before);
  return res;
};

const trainer = async (extra: Record<string, unknown> = {}) => signUp(t, 'trainer', extra);

const createClass = (body: Record<string, unknown>, as: Actor = adminX) =>
  request(t.app)
    .post('/api/v1/events')
    .set(...as.auth)
    .send({
      name: 'Morning Yoga',
      society_id: societyX,
      class_type: 'yoga',
      date: MONDAY,
      start_time: '10:00 AM',
      end_time: '11:00 AM',
      ...body,
    });

const created = async (body: Record<string, unknown>, as: Actor = adminX) => {
  const res = await createClass(body, as);
  if (res.status !== 201) throw new Error(`class failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; [k: string]: unknown };
};

const schedule = async (trainerId: string, date: string) =>
  (
    await request(t.app)
      .get(`/api/v1/trainers/${trainerId}/schedule?date=${date}`)
      .set(...root.auth)
  ).body.slots as { class_id: string; start: string; end: string }[];

describe('POST /events', () => {
  it('schedules a class from the spec’s body, answering times as HH:mm in the society’s zone', async () => {
    const res = await createClass({ event_date: '2030-03-05', date: undefined, max_members: 12 });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/events/${res.body.id}`);
    expect(res.body).toMatchObject({
      name: 'Morning Yoga',
      society_id: societyX,
      trainer_id: null,
      class_type: 'yoga',
      date: '2030-03-05',
      event_date: '2030-03-05',
      start_time: '10:00',
      end_time: '11:00',
      timezone: 'Asia/Kolkata',
      starts_at: '2030-03-05T04:30:00.000Z',
      ends_at: '2030-03-05T05:30:00.000Z',
      max_members: 12,
      seats_left: 12,
      status: 'scheduled',
    });
    const row = await t.db.knex('classes').where({ id: res.body.id }).first();
    expect(row.starts_at.toISOString()).toBe('2030-03-05T04:30:00.000Z');
  });

  it('defaults max_members to 20 and accepts 24-hour times', async () => {
    const body = await created({ start_time: '18:30', end_time: '19:15' });
    expect(body).toMatchObject({ max_members: 20, start_time: '18:30', end_time: '19:15' });
  });

  it('assigns the trainer by claiming their day first', async () => {
    const coach = await trainer();
    const body = await created({ trainer_id: coach.userId, date: '2030-03-06' });
    expect(body.trainer_id).toBe(coach.userId);
    expect(await schedule(coach.userId, '2030-03-06')).toEqual([
      expect.objectContaining({ class_id: body.id, start: '10:00', end: '11:00' }),
    ]);
  });

  it('answers a retried request (same Idempotency-Key) with the same class, writing nothing twice', async () => {
    const key = randomUUID();
    const coach = await trainer();
    const send = () =>
      createClass({ trainer_id: coach.userId, date: '2030-03-07' }).set('Idempotency-Key', key);
    const first = await send();
    expect(first.status).toBe(201);
    const before = await t.eventCount();
    const second = await send();
    expect(second.body.id).toBe(first.body.id);
    expect(await t.eventCount()).toBe(before);
  });

  it('refuses bad input (400), other societies’ admins (403), unknown societies and trainers (404)', async () => {
    await refusedWithoutWriting(
      () => createClass({ start_time: '11:00', end_time: '10:00' }),
      400,
      'validation-error',
    );
    await refusedWithoutWriting(() => createClass({ start_time: '25:00' }), 400, 'validation-error');
    await refusedWithoutWriting(() => createClass({ date: '2030-02-30' }), 400, 'validation-error');
    await refusedWithoutWriting(() => createClass({ event_date: MONDAY }), 400, 'validation-error');
    await refusedWithoutWriting(() => createClass({}, adminY), 403, 'forbidden');
    await refusedWithoutWriting(() => createClass({}, memberX), 403, 'forbidden');
    await refusedWithoutWriting(
      () => createClass({ society_id: randomUUID() }, root),
      404,
      'society-not-found',
    );
    await refusedWithoutWriting(() => createClass({ trainer_id: randomUUID() }), 404, 'trainer-not-found');
  });

  it('refuses more seats than the society allows, and classes in the past (422)', async () => {
    const res = await refusedWithoutWriting(
      () => createClass({ max_members: 26 }),
      422,
      'capacity-above-society-limit',
    );
    expect(res.body.max_members_per_event).toBe(25);
    await refusedWithoutWriting(() => createClass({ date: '2020-01-01' }), 422, 'class-in-the-past');
  });

  it('says which trainer rule refused: specialization, availability, daily limit, overlap', async () => {
    const coach = await trainer({ specialization: ['yoga'] });
    await refusedWithoutWriting(
      () => createClass({ trainer_id: coach.userId, class_type: 'dance', date: '2030-03-11' }),
      422,
      'trainer-specialization-mismatch',
    );
    const avail = await request(t.app)
      .post(`/api/v1/trainers/${coach.userId}/availability`)
      .set(...coach.auth)
      .send({ weekly: [{ weekday: 'mon', start: '06:00', end: '12:00' }] });
    expect(avail.status).toBe(200);
    await refusedWithoutWriting(
      () => createClass({ trainer_id: coach.userId, date: '2030-03-12' }), // a Tuesday
      422,
      'trainer-unavailable',
    );
    await created({ trainer_id: coach.userId, date: '2030-03-11', start_time: '06:00', end_time: '07:00' });
    await refusedWithoutWriting(
      () =>
        createClass({ trainer_id: coach.userId, date: '2030-03-11', start_time: '06:30', end_time: '07:30' }),
      422,
      'trainer-overlap',
    );
    await created({ trainer_id: coach.userId, date: '2030-03-11', start_time: '08:00', end_time: '09:00' });
    await created({ trainer_id: coach.userId, date: '2030-03-11', start_time: '10:00', end_time: '11:00' });
    await refusedWithoutWriting(
      () =>
        createClass({ trainer_id: coach.userId, date: '2030-03-11', start_time: '11:00', end_time: '12:00' }),
      422,
      'trainer-daily-limit',
    );
  });

  it('keeps the trainer’s day under 10 concurrent creations: at most max_classes_per_day, never overlapping', async () => {
    const coach = await trainer();
    const date = '2030-03-13';
    const times = Array.from({ length: 10 }, (_, i) => {
      const start = 6 * 60 + i * 40;
      const hhmm = (m: number) =>
        `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      return { start_time: hhmm(start), end_time: hhmm(start + 60) };
    });
    const answers = await Promise.all(
      times.map((time) => createClass({ trainer_id: coach.userId, date, ...time })),
    );
    const accepted = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status !== 201);
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length).toBeLessThanOrEqual(3);
    for (const r of refused) expect(r.body.type).toMatch(/trainer-(daily-limit|overlap)$/);

    const classes = await t.db
      .knex('classes')
      .where({ trainer_id: coach.userId, date })
      .orderBy('start_minute')
      .select('id', 'start_minute', 'end_minute');
    const slots = await t.db
      .knex('trainer_day_slots')
      .where({ trainer_id: coach.userId, date })
      .orderBy('start_minute')
      .select('class_id', 'start_minute', 'end_minute');
    expect(classes.map((c) => c.id).sort()).toEqual(accepted.map((r) => r.body.id).sort());
    expect(slots.map((s) => s.class_id)).toEqual(classes.map((c) => c.id));
    for (let i = 1; i < classes.length; i++)
      expect(classes[i].start_minute).toBeGreaterThanOrEqual(classes[i - 1].end_minute);
  });
});

describe('PATCH /events/{id}', () => {
  const patch = (id: string, body: object, as: Actor = adminX) =>
    request(t.app)
      .patch(`/api/v1/events/${id}`)
      .set(...as.auth)
      .send(body);

  it('changes details and refuses seats above the society limit', async () => {
    const c = await created({ date: '2030-03-14' });
    const res = await patch(c.id, { name: 'Evening Yoga', max_members: 25 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Evening Yoga', max_members: 25, seats_left: 25 });
    await refusedWithoutWriting(() => patch(c.id, { max_members: 26 }), 422, 'capacity-above-society-limit');
    await refusedWithoutWriting(() => patch(c.id, {}), 400, 'validation-error');
    await refusedWithoutWriting(() => patch(c.id, { name: 'X' }, adminY), 403, 'forbidden');
    await refusedWithoutWriting(() => patch(randomUUID(), { name: 'X' }), 404, 'class-not-found');
  });

  it('refuses a class type its trainer does not teach', async () => {
    const coach = await trainer({ specialization: ['yoga'] });
    const c = await created({
      trainer_id: coach.userId,
      date: '2030-03-14',
      start_time: '06:00',
      end_time: '07:00',
    });
    await refusedWithoutWriting(
      () => patch(c.id, { class_type: 'dance' }),
      422,
      'trainer-specialization-mismatch',
    );
  });

  it('reschedules within the day, moving the trainer’s claim in place', async () => {
    const coach = await trainer();
    const date = '2030-03-18';
    const c = await created({ trainer_id: coach.userId, date, start_time: '06:00', end_time: '07:00' });
    // 06:30–07:30 overlaps the old time: only a move (not claim-beside) allows it.
    const res = await patch(c.id, { start_time: '06:30 AM', end_time: '07:30 AM' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      start_time: '06:30',
      end_time: '07:30',
      starts_at: '2030-03-18T01:00:00.000Z',
    });
    expect(await schedule(coach.userId, date)).toEqual([
      expect.objectContaining({ class_id: c.id, start: '06:30', end: '07:30' }),
    ]);
  });

  it('reschedules to another day: claims the new day, then releases the old', async () => {
    const coach = await trainer();
    const c = await created({ trainer_id: coach.userId, date: '2030-03-19' });
    const res = await patch(c.id, { date: '2030-03-20' });
    expect(res.status).toBe(200);
    expect(res.body.date).toBe('2030-03-20');
    expect(await schedule(coach.userId, '2030-03-19')).toEqual([]);
    expect(await schedule(coach.userId, '2030-03-20')).toEqual([expect.objectContaining({ class_id: c.id })]);
  });

  it('refuses a reschedule onto the trainer’s other class, keeping the old claim', async () => {
    const coach = await trainer();
    const date = '2030-03-21';
    const a = await created({ trainer_id: coach.userId, date, start_time: '06:00', end_time: '07:00' });
    const b = await created({ trainer_id: coach.userId, date, start_time: '08:00', end_time: '09:00' });
    await refusedWithoutWriting(() => patch(b.id, { start_time: '06:30' }), 422, 'trainer-overlap');
    expect((await schedule(coach.userId, date)).map((s) => [s.class_id, s.start])).toEqual([
      [a.id, '06:00'],
      [b.id, '08:00'],
    ]);
    await refusedWithoutWriting(() => patch(b.id, { start_time: '09:30' }), 400, 'invalid-class-times');
  });
});

describe('POST /events/{id}/cancel', () => {
  const cancel = (id: string, body: object, as: Actor = adminX) =>
    request(t.app)
      .post(`/api/v1/events/${id}/cancel`)
      .set(...as.auth)
      .send(body);

  it('cancels, frees the trainer’s slot, and refuses a second cancel', async () => {
    const coach = await trainer();
    const c = await created({ trainer_id: coach.userId, date: '2030-03-22' });
    await refusedWithoutWriting(() => cancel(c.id, {}), 400, 'validation-error');
    await refusedWithoutWriting(() => cancel(c.id, { reason: 'x' }, adminY), 403, 'forbidden');
    const res = await cancel(c.id, { reason: 'Trainer unavailable' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, status: 'canceled', cancel_reason: 'Trainer unavailable' });
    expect(await schedule(coach.userId, '2030-03-22')).toEqual([]);
    await refusedWithoutWriting(() => cancel(c.id, { reason: 'again' }), 409, 'class-already-canceled');
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .patch(`/api/v1/events/${c.id}`)
          .set(...adminX.auth)
          .send({ name: 'X' }),
      422,
      'class-canceled',
    );
  });
});

describe('POST /trainers/{id}/assign', () => {
  const assign = (trainerId: string, eventId: string, as: Actor = adminX) =>
    request(t.app)
      .post(`/api/v1/trainers/${trainerId}/assign`)
      .set(...as.auth)
      .send({ event_id: eventId });

  it('assigns, then re-assigns releasing the previous trainer’s slot', async () => {
    const first = await trainer();
    const second = await trainer();
    const c = await created({ date: '2030-03-25' });
    const res = await assign(first.userId, c.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      trainer_id: first.userId,
      event_id: c.id,
      assigned_at: expect.any(String),
    });
    expect(await schedule(first.userId, '2030-03-25')).toHaveLength(1);
    expect((await assign(second.userId, c.id)).status).toBe(200);
    expect(await schedule(first.userId, '2030-03-25')).toEqual([]);
    expect(await schedule(second.userId, '2030-03-25')).toEqual([
      expect.objectContaining({ class_id: c.id }),
    ]);
    const row = await request(t.app)
      .get(`/api/v1/events/${c.id}`)
      .set(...adminX.auth);
    expect(row.body.trainer_id).toBe(second.userId);
  });

  it('answers a retried re-assignment (same Idempotency-Key) without writing again', async () => {
    const first = await trainer();
    const second = await trainer();
    const c = await created({ trainer_id: first.userId, date: '2030-03-27' });
    const key = randomUUID();
    const send = () => assign(second.userId, c.id).set('Idempotency-Key', key);
    expect((await send()).status).toBe(200);
    const before = await t.eventCount();
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ trainer_id: second.userId, event_id: c.id });
    expect(await t.eventCount()).toBe(before);
    expect(await schedule(first.userId, '2030-03-27')).toEqual([]);
  });

  it('refuses others’ admins, unknown classes and trainers, and a trainer who is busy then', async () => {
    const coach = await trainer();
    const c = await created({ date: '2030-03-26' });
    await refusedWithoutWriting(() => assign(coach.userId, c.id, adminY), 403, 'forbidden');
    await refusedWithoutWriting(() => assign(coach.userId, randomUUID()), 404, 'class-not-found');
    await refusedWithoutWriting(() => assign(randomUUID(), c.id), 404, 'trainer-not-found');
    await refusedWithoutWriting(() => assign(coach.userId, 'nope'), 400, 'validation-error');
    await created({ trainer_id: coach.userId, date: '2030-03-26', start_time: '10:30', end_time: '11:30' });
    await refusedWithoutWriting(() => assign(coach.userId, c.id), 422, 'trainer-overlap');
  });
});

describe('GET /events/{id}/trainer-suggestions', () => {
  it('ranks trainers who fit and are free, nearest first, then least busy', async () => {
    const date = '2030-04-01';
    // Society X is at 28.6, 77.3. Trainers at ~0 km, ~3.3 km, ~11 km, one who teaches only dance.
    const far = await trainer({ specialization: ['Yoga'], location: { latitude: 28.7, longitude: 77.3 } });
    const near = await trainer({ specialization: ['yoga'], location: { latitude: 28.63, longitude: 77.3 } });
    const here = await trainer({ specialization: ['yoga'], location: { latitude: 28.6, longitude: 77.3 } });
    const dancer = await trainer({
      specialization: ['dance'],
      location: { latitude: 28.6, longitude: 77.3 },
    });
    const busy = await trainer({ specialization: ['yoga'], location: { latitude: 28.6, longitude: 77.3 } });
    await created({ trainer_id: busy.userId, date, start_time: '10:30', end_time: '11:30' });
    await created({ trainer_id: near.userId, date, start_time: '06:00', end_time: '07:00' });
    const c = await created({ date });
    const res = await request(t.app)
      .get(`/api/v1/events/${c.id}/trainer-suggestions`)
      .set(...adminX.auth);
    expect(res.status).toBe(200);
    const ids = res.body.map((s: { trainer_id: string }) => s.trainer_id);
    expect(ids).not.toContain(dancer.userId);
    expect(ids).not.toContain(busy.userId);
    const ours = res.body.filter((s: { trainer_id: string }) =>
      [here.userId, near.userId, far.userId].includes(s.trainer_id),
    );
    expect(ours.map((s: { trainer_id: string }) => s.trainer_id)).toEqual([
      here.userId,
      near.userId,
      far.userId,
    ]);
    expect(ours[0]).toMatchObject({ distance_km: 0, classes_that_day: 0 });
    expect(ours[1]).toMatchObject({ classes_that_day: 1 });
    expect(ours[1].distance_km).toBeCloseTo(3.3, 0);
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/events/${c.id}/trainer-suggestions`)
          .set(...adminY.auth),
      403,
      'forbidden',
    );
  });
});

describe('reading classes', () => {
  let inX: { id: string };
  let inY: { id: string };
  let coach: Actor;
  beforeAll(async () => {
    coach = await trainer();
    inX = await created({ trainer_id: coach.userId, date: '2030-05-06', name: 'X class' });
    await created({ date: '2030-05-07', name: 'X class 2' });
    inY = await created({ society_id: societyY, date: '2030-05-06', name: 'Y class' }, adminY);
  });

  it('GET /events filters by society and local dates, pages, and says seats_left', async () => {
    const res = await request(t.app)
      .get(`/api/v1/events?society_id=${societyX}&from=2030-05-06&to=2030-05-07&limit=1`)
      .set(...adminY.auth);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ id: inX.id, seats_left: 20 });
    const next = await request(t.app)
      .get(
        `/api/v1/events?society_id=${societyX}&from=2030-05-06&to=2030-05-07&limit=1&cursor=${res.headers['arcfit-next-cursor']}`,
      )
      .set(...adminY.auth);
    expect(next.body.map((e: { name: string }) => e.name)).toEqual(['X class 2']);
    expect(next.headers['arcfit-next-cursor']).toBeUndefined();
    expect(next.headers.link).toBeUndefined();
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get('/api/v1/events?limit=101')
          .set(...root.auth),
      400,
      'validation-error',
    );
    await refusedWithoutWriting(() => request(t.app).get('/api/v1/events'), 401, 'unauthenticated');
  });

  it('members see only their own society’s classes', async () => {
    const mine = await request(t.app)
      .get('/api/v1/events?from=2030-05-06&to=2030-05-06')
      .set(...memberX.auth);
    expect(mine.body.map((e: { id: string }) => e.id)).toEqual([inX.id]);
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/events?society_id=${societyY}`)
          .set(...memberX.auth),
      403,
      'forbidden',
    );
    expect(
      (
        await request(t.app)
          .get(`/api/v1/events/${inX.id}`)
          .set(...memberX.auth)
      ).status,
    ).toBe(200);
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/events/${inY.id}`)
          .set(...memberX.auth),
      404,
      'class-not-found',
    );
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/events/${randomUUID()}`)
          .set(...root.auth),
      404,
      'class-not-found',
    );
  });

  it('GET /members/{id}/events lists upcoming classes of the member’s society; others get 404', async () => {
    const own = await request(t.app)
      .get(`/api/v1/members/${memberX.userId}/events`)
      .set(...memberX.auth);
    expect(own.status).toBe(200);
    expect(own.body.map((e: { id: string }) => e.id)).toContain(inX.id);
    expect(own.body.every((e: { society_id: string }) => e.society_id === societyX)).toBe(true);
    expect(
      (
        await request(t.app)
          .get(`/api/v1/members/${memberX.userId}/events`)
          .set(...adminX.auth)
      ).status,
    ).toBe(200);
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/members/${memberX.userId}/events`)
          .set(...memberY.auth),
      404,
      'member-not-found',
    );
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/members/${memberX.userId}/events`)
          .set(...adminY.auth),
      404,
      'member-not-found',
    );
  });

  it('GET /trainers/{id}/events lists the trainer’s classes to them and admins', async () => {
    const own = await request(t.app)
      .get(`/api/v1/trainers/${coach.userId}/events`)
      .set(...coach.auth);
    expect(own.status).toBe(200);
    expect(own.body.map((e: { id: string }) => e.id)).toEqual([inX.id]);
    expect(
      (
        await request(t.app)
          .get(`/api/v1/trainers/${coach.userId}/events`)
          .set(...adminY.auth)
      ).status,
    ).toBe(200);
    const other = await trainer();
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/trainers/${coach.userId}/events`)
          .set(...other.auth),
      403,
      'forbidden',
    );
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/trainers/${randomUUID()}/events`)
          .set(...root.auth),
      404,
      'trainer-not-found',
    );
  });

  it('GET /trainers/{id}/participants/{event_id}: empty until bookings exist; the class’s trainer and its admins only', async () => {
    const path = `/api/v1/trainers/${coach.userId}/participants/${inX.id}`;
    const res = await request(t.app)
      .get(path)
      .set(...coach.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(
      (
        await request(t.app)
          .get(path)
          .set(...adminX.auth)
      ).status,
    ).toBe(200);
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(path)
          .set(...adminY.auth),
      403,
      'forbidden',
    );
    const other = await trainer();
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/trainers/${other.userId}/participants/${inX.id}`)
          .set(...other.auth),
      404,
      'class-not-found',
    );
  });
});

describe('activities and progress', () => {
  const add = (id: string, body: object, as: Actor = adminX) =>
    request(t.app)
      .post(`/api/v1/events/${id}/activities`)
      .set(...as.auth)
      .send(body);
  const list = async (id: string) =>
    (
      await request(t.app)
        .get(`/api/v1/events/${id}/activities`)
        .set(...memberX.auth)
    ).body as {
      id: string;
      order: number;
      name: string;
    }[];

  it('adds, inserts and moves activities, keeping orders 1..n and within the class’s length', async () => {
    const c = await created({ date: '2030-06-03' }); // 10:00–11:00, 60 minutes
    const warm = await add(c.id, {
      name: 'Warm-up',
      duration: 15,
      description: 'Light stretching',
      tracks: ['warmup_song1.mp3'],
      media_url: 'https://example.com/warmup.pdf',
    });
    expect(warm.status).toBe(201);
    expect(warm.body.activity).toMatchObject({
      order: 1,
      name: 'Warm-up',
      duration: 15,
      tracks: ['warmup_song1.mp3'],
    });
    expect((await add(c.id, { name: 'Poses', duration: 30 })).status).toBe(201);
    expect((await add(c.id, { name: 'Breathing', duration: 10, order: 2 })).status).toBe(201);
    expect((await list(c.id)).map((a) => [a.order, a.name])).toEqual([
      [1, 'Warm-up'],
      [2, 'Breathing'],
      [3, 'Poses'],
    ]);
    await refusedWithoutWriting(
      () => add(c.id, { name: 'Too long', duration: 6 }),
      422,
      'activities-exceed-class-duration',
    );
    await refusedWithoutWriting(
      () => add(c.id, { name: 'Gap', duration: 1, order: 5 }),
      422,
      'activity-order-out-of-range',
    );
    await refusedWithoutWriting(
      () => add(c.id, { name: 'Insecure', duration: 1, media_url: 'http://example.com/x' }),
      400,
      'validation-error',
    );
    await refusedWithoutWriting(() => add(c.id, { name: 'Nope', duration: 1 }, adminY), 403, 'forbidden');

    const moved = await request(t.app)
      .put(`/api/v1/events/${c.id}/activities/${warm.body.activity.id}`)
      .set(...adminX.auth)
      .send({ order: 3, name: 'Cool-down' });
    expect(moved.status).toBe(200);
    expect((await list(c.id)).map((a) => [a.order, a.name])).toEqual([
      [1, 'Breathing'],
      [2, 'Poses'],
      [3, 'Cool-down'],
    ]);
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .put(`/api/v1/events/${c.id}/activities/${warm.body.activity.id}`)
          .set(...adminX.auth)
          .send({ duration: 21 }),
      422,
      'activities-exceed-class-duration',
    );
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .put(`/api/v1/events/${c.id}/activities/${randomUUID()}`)
          .set(...adminX.auth)
          .send({ name: 'x' }),
      404,
      'activity-not-found',
    );
    await refusedWithoutWriting(
      () =>
        request(t.app)
          .get(`/api/v1/events/${c.id}/activities`)
          .set(...memberY.auth),
      404,
      'class-not-found',
    );
  });

  it('reports progress from the clock: before, during (activity, tracks, time left) and after', async () => {
    const c = await created({ date: '2030-06-04' }); // 04:30–05:30 UTC
    await add(c.id, { name: 'Warm-up', duration: 15, tracks: ['warm.mp3'] });
    await add(c.id, { name: 'Poses', duration: 30, tracks: ['yoga.mp3'] });
    const at = async (iso: string) =>
      (
        await request(t.app)
          .get(`/api/v1/events/${c.id}/progress?at=${encodeURIComponent(iso)}`)
          .set(...memberX.auth)
      ).body;
    expect(await at('2030-06-04T04:00:00Z')).toMatchObject({ state: 'not_started', minutes_to_start: 30 });
    expect(await at('2030-06-04T04:50:00Z')).toMatchObject({
      state: 'running',
      activity: { name: 'Poses', tracks: ['yoga.mp3'], minutes_left: 25 },
    });
    expect(await at('2030-06-04T05:30:00Z')).toMatchObject({ state: 'finished' });
    const now = await request(t.app)
      .get(`/api/v1/events/${c.id}/progress`)
      .set(...memberX.auth);
    expect(now.body.state).toBe('not_started');
  });
});

describe('reserve, act, compensate', () => {
  it('releases the trainer’s claim when the class refuses to record it', async () => {
    const coach = await trainer();
    const date = '2030-07-01';
    const existing = await created({ date });
    // A second schedule under the same class id: the claim succeeds, the class stream refuses.
    const attempt = scheduleClass(
      t.commands,
      {
        classId: existing.id,
        societyId: societyX,
        name: 'Duplicate',
        classType: 'yoga',
        date,
        start: 600,
        end: 660,
        maxMembers: 20,
        trainerId: coach.userId,
        scheduledBy: null,
      },
      { commandId: randomUUID(), commandType: 'ScheduleClass' },
    );
    await expect(attempt).rejects.toMatchObject({ refusal: { type: 'class-already-exists' } });
    const day = await t.store.readStream(streams.trainerDay(coach.userId, date));
    expect(day.map((e) => e.type)).toEqual(['TrainerSlotClaimed', 'TrainerSlotReleased']);
  });
});

describe('class read models', () => {
  it('are idempotent: applying every class event again, one by one or as one batch, changes no row', async () => {
    const snapshot = async () => ({
      classes: await t.db.knex('classes').orderBy('id'),
      activities: await t.db.knex('class_activities').orderBy('id'),
    });
    const before = await snapshot();
    expect(before.classes.length).toBeGreaterThan(0);
    expect(before.activities.length).toBeGreaterThan(0);
    const events = (await t.store.readAll({ maxCount: 100_000 })).filter((e) =>
      classesProjection.handles.includes(e.type),
    );
    const ctx = (trx: Knex.Transaction) => ({
      trx,
      table: (name: string) => `${name}_v${classesProjection.version}`,
    });
    await t.db.knex.transaction(async (trx) => {
      for (const event of events) await applyEvents(classesProjection, [event], ctx(trx));
    });
    expect(await snapshot()).toEqual(before);
    await t.db.knex.transaction((trx) => applyEvents(classesProjection, events, ctx(trx)));
    expect(await snapshot()).toEqual(before);
  });
});
