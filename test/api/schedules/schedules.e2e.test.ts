import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { registerSociety, signUp, superAdmin, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

let t: TestApp;
let root: Actor;
let adminX: Actor;
let adminY: Actor;
let societyX: string;

// Every test plans its own week with its own class type, so the file's trainers do not interact.
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
});
afterAll(async () => t.dispose());

const expectProblem = (res: request.Response, status: number, type: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`/${type}$`)) });
};

const refusedWithoutWriting = async (send: () => Promise<request.Response>, status: number, type: string) => {
  const before = await t.eventCount();
  expectProblem(await send(), status, type);
  expect(await t.eventCount()).toBe(before);
};

const trainerAt = (specialization: string[], latitude: number, longitude = 77.3) =>
  signUp(t, 'trainer', { specialization, location: { latitude, longitude } });

const addTemplate = async (societyId: string, body: Record<string, unknown>, as: Actor = adminX) => {
  const res = await request(t.app)
    .post(`/api/v1/societies/${societyId}/schedule-templates`)
    .set(...as.auth)
    .send({ name: 'Morning flow', weekday: 'mon', start_time: '09:00', duration_minutes: 60, ...body });
  if (res.status !== 201) throw new Error(`template failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
};

const week = (path: 'preview' | 'generate', body: Record<string, unknown>, as: Actor = adminX) =>
  request(t.app)
    .post(`/api/v1/schedules/${path}`)
    .set(...as.auth)
    .send(body);

describe('weekly templates', () => {
  it('an admin adds, reads, changes and removes a template of their society', async () => {
    const created = await request(t.app)
      .post(`/api/v1/societies/${societyX}/schedule-templates`)
      .set(...adminX.auth)
      .send({
        name: 'Evening Dance',
        weekday: 'Wednesday',
        start_time: '6:30 PM',
        duration_minutes: 45,
        class_type: 'dance',
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      society_id: societyX,
      weekday: 'wed',
      start_time: '18:30',
      end_time: '19:15',
      duration_minutes: 45,
      max_members: 20,
      preferred_trainer_id: null,
    });
    const path = `/api/v1/societies/${societyX}/schedule-templates/${created.body.id}`;
    expect(created.headers.location).toBe(path);

    const changed = await request(t.app)
      .patch(path)
      .set(...adminX.auth)
      .send({ start_time: '19:00', max_members: 25 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ start_time: '19:00', end_time: '19:45', max_members: 25 });

    const list = await request(t.app)
      .get(`/api/v1/societies/${societyX}/schedule-templates`)
      .set(...adminX.auth);
    expect(list.body.map((x: { id: string }) => x.id)).toContain(created.body.id);

    expect(
      (
        await request(t.app)
          .delete(path)
          .set(...adminX.auth)
      ).status,
    ).toBe(204);
    expectProblem(
      await request(t.app)
        .get(path)
        .set(...adminX.auth),
      404,
      'schedule-template-not-found',
    );
  });

  it('refuses, writing nothing: too many seats, a bad time, an unknown trainer, another society’s admin', async () => {
    const post =
      (body: Record<string, unknown>, as: Actor = adminX) =>
      () =>
        request(t.app)
          .post(`/api/v1/societies/${societyX}/schedule-templates`)
          .set(...as.auth)
          .send({
            name: 'Big',
            weekday: 'mon',
            start_time: '09:00',
            duration_minutes: 60,
            class_type: 'yoga',
            ...body,
          });
    await refusedWithoutWriting(post({ max_members: 26 }), 422, 'capacity-above-society-limit');
    await refusedWithoutWriting(post({ start_time: '23:30' }), 400, 'validation-error');
    await refusedWithoutWriting(post({ weekday: 'someday' }), 400, 'validation-error');
    await refusedWithoutWriting(post({ preferred_trainer_id: randomUUID() }), 404, 'trainer-not-found');
    await refusedWithoutWriting(post({}, adminY), 403, 'forbidden');
  });
});

describe('preview and generate', () => {
  it('previews the nearest trainer who teaches the class, and writes nothing', async () => {
    const type = `yoga-${randomUUID()}`;
    const near = await trainerAt([type], 28.6);
    await trainerAt([type], 28.7); // 11 km away
    await addTemplate(societyX, { class_type: type, weekday: 'tue' });

    const before = await t.eventCount();
    const res = await week('preview', { week: '2030-W20', society_id: societyX });
    expect(res.status).toBe(200);
    const mine = res.body.assignments.filter((a: { class_type: string }) => a.class_type === type);
    expect(mine).toEqual([
      expect.objectContaining({
        trainer_id: near.userId,
        date: '2030-05-14',
        start_time: '09:00',
        travel_km: 0,
      }),
    ]);
    expect(res.body.solver).toMatchObject({ method: 'mip', status: 'optimal' });
    expect(await t.eventCount()).toBe(before);
    const classes = await request(t.app)
      .get(`/api/v1/events/${mine[0].class_id}`)
      .set(...root.auth);
    expect(classes.status).toBe(404);
  });

  it('generates the classes with their trainers through the class commands; a second run creates nothing', async () => {
    const type = `pilates-${randomUUID()}`;
    const coach = await trainerAt([type], 28.6);
    const nobodyTeaches = `trapeze-${randomUUID()}`;
    await addTemplate(societyX, { class_type: type, weekday: 'mon', start_time: '07:00' });
    await addTemplate(societyX, { class_type: type, weekday: 'mon', start_time: '18:00', max_members: 12 });
    await addTemplate(societyX, { class_type: nobodyTeaches, weekday: 'fri' });

    const first = await week('generate', { week: '2030-W21', society_id: societyX });
    expect(first.status).toBe(200);
    const mine = first.body.assignments.filter((a: { class_type: string }) => a.class_type === type);
    expect(mine).toHaveLength(2);
    expect(first.body.unstaffed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ class_type: nobodyTeaches, reason: 'no-trainer-teaches-class-type' }),
      ]),
    );
    for (const planned of mine) {
      const got = await request(t.app)
        .get(`/api/v1/events/${planned.class_id}`)
        .set(...root.auth);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({
        trainer_id: coach.userId,
        date: '2030-05-20',
        start_time: planned.start_time,
      });
    }
    const day = await request(t.app)
      .get(`/api/v1/trainers/${coach.userId}/schedule?date=2030-05-20`)
      .set(...root.auth);
    expect(JSON.stringify(day.body)).toContain(mine[0].class_id);

    const before = await t.eventCount();
    const again = await week('generate', { week: '2030-W21', society_id: societyX });
    expect(again.status).toBe(200);
    expect(again.body.created).toEqual([]);
    expect(again.body.already_generated.map((c: { class_id: string }) => c.class_id)).toEqual(
      expect.arrayContaining(mine.map((c: { class_id: string }) => c.class_id)),
    );
    expect(await t.eventCount()).toBe(before);
  });

  it('two generations of the same week at once make each class once, with one claim each', async () => {
    const type = `zumba-${randomUUID()}`;
    const coach = await trainerAt([type], 28.6);
    const own = await society(adminX);
    await addTemplate(own, { class_type: type, weekday: 'thu', start_time: '08:00' });
    await addTemplate(own, { class_type: type, weekday: 'thu', start_time: '10:00' });

    // Two callers (one caller's second plan would be refused 429 solve-in-progress while the first runs).
    const [a, b] = await Promise.all([
      week('generate', { week: '2030-W22', society_id: own }),
      week('generate', { week: '2030-W22', society_id: own }, root),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(new Set([...a.body.created, ...b.body.created]).size).toBe(2);
    const listed = await request(t.app)
      .get(`/api/v1/events?society_id=${own}&from=2030-05-27&to=2030-06-02`)
      .set(...root.auth);
    expect(listed.body).toHaveLength(2);
    const day = await t.db.pool.query(
      'SELECT count(*)::int AS n FROM trainer_day_slots WHERE trainer_id = $1 AND date = $2',
      [coach.userId, '2030-05-30'],
    );
    expect(day.rows[0].n).toBe(2);
  });

  it('keeps local times across a daylight-saving change (New York and London, spring forward)', async () => {
    const type = `barre-${randomUUID()}`;
    await trainerAt([type], 40.7, -74);
    await trainerAt([type], 51.5, -0.1);
    const newYork = await society(adminX, { timezone: 'America/New_York', latitude: 40.7, longitude: -74 });
    const london = await society(adminX, { timezone: 'Europe/London', latitude: 51.5, longitude: -0.1 });
    for (const s of [newYork, london]) {
      await addTemplate(s, { class_type: type, weekday: 'mon', start_time: '09:00' });
      await addTemplate(s, { class_type: type, weekday: 'sun', start_time: '09:00' });
    }
    // 2030-W10: Mon 4 March to Sun 10 March; New York springs forward on the Sunday at 02:00.
    const ny = await week('generate', { week: '2030-W10', society_id: newYork });
    expect(ny.status).toBe(200);
    expect(
      ny.body.assignments.map((c: Record<string, string>) => [c.date, c.start_time, c.starts_at]),
    ).toEqual([
      ['2030-03-04', '09:00', '2030-03-04T14:00:00.000Z'],
      ['2030-03-10', '09:00', '2030-03-10T13:00:00.000Z'],
    ]);
    // 2030-W13: Mon 25 March to Sun 31 March; London moves to BST on the Sunday at 01:00.
    const uk = await week('generate', { week: '2030-W13', society_id: london });
    expect(
      uk.body.assignments.map((c: Record<string, string>) => [c.date, c.start_time, c.starts_at]),
    ).toEqual([
      ['2030-03-25', '09:00', '2030-03-25T09:00:00.000Z'],
      ['2030-03-31', '09:00', '2030-03-31T08:00:00.000Z'],
    ]);
    const sunday = await request(t.app)
      .get(`/api/v1/events/${ny.body.assignments[1].class_id}`)
      .set(...root.auth);
    expect(sunday.body).toMatchObject({
      start_time: '09:00',
      timezone: 'America/New_York',
      starts_at: '2030-03-10T13:00:00.000Z',
    });
  });

  it('raises seats and adds a class after it where the last weeks’ waitlists overflowed', async () => {
    const type = `spin-${randomUUID()}`;
    await trainerAt([type], 28.6);
    const own = await society(adminX); // max_members_per_event 25
    await addTemplate(own, { class_type: type, weekday: 'mon', start_time: '07:00', max_members: 20 });
    const lastWeek = await week('generate', { week: '2030-W24', society_id: own });
    const classId = lastWeek.body.assignments[0].class_id as string;
    // Twelve members left on that class's waitlist, as the booking read model records them.
    for (let i = 0; i < 12; i++)
      await t.db.knex('bookings').insert({
        id: randomUUID(),
        member_id: randomUUID(),
        event_id: classId,
        society_id: own,
        status: 'waitlist',
        waitlist_position: i + 1,
        week: '2030-W24',
        booking_date: '2030-06-01',
        booked_at: new Date(),
        class_revision: 1,
        created_at: new Date(),
        updated_at: new Date(),
      });

    const next = await week('preview', { week: '2030-W25', society_id: own });
    expect(
      next.body.assignments.map((c: Record<string, unknown>) => [c.start_time, c.end_time, c.max_members]),
    ).toEqual([
      ['07:00', '08:00', 25],
      ['08:00', '09:00', 7],
    ]);
  });

  it('a society admin plans only their own society; a bad week is a validation error', async () => {
    // adminX administers several societies by now: they have to say which, and are told their choices.
    const unnamed = await week('generate', { week: '2030-W23' });
    expectProblem(unnamed, 422, 'society-required');
    expect(unnamed.body.detail).toContain(societyX);
    await refusedWithoutWriting(
      () => week('generate', { week: '2030-W23', society_id: societyX }, adminY),
      403,
      'forbidden',
    );
    await refusedWithoutWriting(
      () => week('generate', { week: '2030-W54', society_id: societyX }),
      400,
      'validation-error',
    );
    const all = await week('preview', { week: '2030-W23' }, root);
    expect(all.status).toBe(200);
    expect(all.body.society_ids).toContain(societyX);
  });

  it('takes the week as week_start (its Monday), and an admin of one society need not name it', async () => {
    const admin = await signUp(t, 'society_admin');
    const own = await society(admin);
    const type = `barre-${randomUUID()}`;
    await trainerAt([type], 28.6);
    await addTemplate(own, { class_type: type, weekday: 'wed' }, admin);
    const res = await week('preview', { week_start: '2030-06-10' }, admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ week: '2030-W24', week_start: '2030-06-10', society_ids: [own] });
    expect(res.body.assignments).toEqual([expect.objectContaining({ class_type: type, date: '2030-06-12' })]);
    const wednesday = await week('preview', { week_start: '2030-06-12' }, admin);
    expectProblem(wednesday, 400, 'validation-error');
    expect(JSON.stringify(wednesday.body)).toContain('2030-06-10');
  });

  // Found by the fuzzer (seed 1001996976): a week_start that is not a date reached the weekday
  // check and answered 500.
  it('refuses a week_start that is not a calendar date with a 400, not a 500', async () => {
    const admin = await signUp(t, 'society_admin');
    await society(admin);
    for (const week_start of ['1970-01-01T00:00:00Z', '2030-02-30', 'monday']) {
      const res = await week('preview', { week_start }, admin);
      expectProblem(res, 400, 'validation-error');
      expect(JSON.stringify(res.body)).toContain('week_start');
    }
  });
});
