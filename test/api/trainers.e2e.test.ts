import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import request from 'supertest';
import { assignTrainerToSlot, releaseTrainerSlot } from '../../src/commands/trainers/trainerCommands';
import type { RecordedEvent } from '../../src/events/store/eventStore';
import { formatPosition } from '../../src/events/store/position';
import { streams } from '../../src/events/streams';
import { trainerDaySlotsProjection } from '../../src/projections/trainers/trainerDaySlotsProjection';
import { trainersProjection } from '../../src/projections/trainers/trainersProjection';
import { adminWithSociety, signUp, superAdmin, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';
import { applyEvents } from '../../src/projections/engine/projection';

let t: TestApp;
let root: Actor;
let member: Actor;
let societyAdmin: Actor;
let societyId: string;
beforeAll(async () => {
  t = await startTestApp();
  root = await superAdmin(t);
  const x = await adminWithSociety(t);
  societyAdmin = x.admin;
  societyId = x.societyId;
  member = await signUp(t, 'member', { society_id: societyId });
});
afterAll(async () => t.dispose());

const expectProblem = (res: request.Response, status: number, type: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`/${type}$`)) });
  expect(typeof res.body.title).toBe('string');
};

/**
 * A trainer account that certainly has no profile yet, whatever signup does: registered straight
 * in the store, the way an account from before trainer profiles existed looks.
 */
const trainerAccount = async (specialization = ['Yoga', 'Pilates']) => {
  const userId = randomUUID();
  const email = `legacy-${userId}@example.com`;
  const { position } = await t.store.append(
    streams.user(userId),
    [
      {
        id: randomUUID(),
        type: 'UserRegistered',
        data: {
          userId,
          name: 'Legacy Trainer',
          email,
          phoneNumber: null,
          role: 'trainer',
          passwordHash: 'not-a-real-hash',
          societyId: null,
          trainer: { specialization, location: { address: 'Sector 18', latitude: 28.57, longitude: 77.32 } },
        },
      },
    ],
    { expectedRevision: 'no_stream' },
  );
  await t.waiter.waitFor(position, 10_000);
  return { userId, email };
};

/** A signed-up trainer with a profile (created here unless signup already made one). */
const trainerWithProfile = async (extra: Record<string, unknown> = {}) => {
  const trainer = await signUp(t, 'trainer', extra);
  const res = await request(t.app)
    .post('/api/v1/trainers')
    .set(...root.auth)
    .send({ user_id: trainer.userId });
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`profile failed: ${res.status} ${JSON.stringify(res.body)}`);
  return trainer;
};

describe('POST /trainers', () => {
  it('creates the profile of a trainer account from its signup details, with the default daily limit', async () => {
    const account = await trainerAccount();
    const created = await request(t.app)
      .post('/api/v1/trainers')
      .set(...root.auth)
      .send({ user_id: account.userId });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/trainers/${account.userId}`);
    expect(created.headers['arcfit-position']).toMatch(/^\d+\/\d+$/);
    expect(created.body).toMatchObject({
      id: account.userId,
      name: 'Legacy Trainer',
      email: account.email,
      phone_number: null,
      // The spec's strings, and our fuller data beside them.
      specialization: 'Yoga',
      specializations: ['Yoga', 'Pilates'],
      location: 'Sector 18',
      home_location: { address: 'Sector 18', latitude: 28.57, longitude: 77.32 },
      max_classes_per_day: 3,
      availability: null,
    });

    const fetched = await request(t.app)
      .get(`/api/v1/trainers/${account.userId}`)
      .set(...root.auth);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
    // A member sees the public profile: no way to reach the trainer.
    const {
      email: _email,
      phone_number: _phone,
      location: _location,
      home_location: _home,
      ...publicProfile
    } = created.body;
    const seenByMember = await request(t.app)
      .get(`/api/v1/trainers/${account.userId}`)
      .set(...member.auth);
    expect(seenByMember.body).toEqual(publicProfile);
    expect(fetched.headers.etag).toBe('"0"');
  });

  it('takes the fields it is given over the account’s', async () => {
    const account = await trainerAccount();
    const created = await request(t.app)
      .post('/api/v1/trainers')
      .set(...root.auth)
      .send({
        user_id: account.userId,
        name: 'Coach K',
        specialization: ['Dance'],
        location: { latitude: 19.07, longitude: 72.87 },
        max_classes_per_day: 5,
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Coach K',
      specialization: 'Dance',
      specializations: ['Dance'],
      location: '19.07, 72.87',
      home_location: { address: null, latitude: 19.07, longitude: 72.87 },
      max_classes_per_day: 5,
    });
  });

  it('answers a retry with the same Idempotency-Key as before, and a second profile with 409', async () => {
    const account = await trainerAccount();
    const key = randomUUID();
    const send = () =>
      request(t.app)
        .post('/api/v1/trainers')
        .set(...root.auth)
        .set('Idempotency-Key', key)
        .send({ user_id: account.userId });
    const first = await send();
    const before = await t.eventCount();
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await t.eventCount()).toBe(before);

    const second = await request(t.app)
      .post('/api/v1/trainers')
      .set(...root.auth)
      .send({ user_id: account.userId });
    expectProblem(second, 409, 'trainer-exists');
    expect(await t.eventCount()).toBe(before);
  });

  it('refuses an account that is not a trainer, or no account, with 422 and writes nothing', async () => {
    const before = await t.eventCount();
    for (const userId of [member.userId, societyAdmin.userId, randomUUID()]) {
      const res = await request(t.app)
        .post('/api/v1/trainers')
        .set(...root.auth)
        .send({ user_id: userId });
      expectProblem(res, 422, 'not-a-trainer-account');
    }
    expect(await t.eventCount()).toBe(before);
  });

  it.each([
    ['no user_id', {}],
    ['a user_id that is not a uuid', { user_id: 'abc' }],
    ['an empty specialization', { user_id: randomUUID(), specialization: [] }],
    ['a daily limit of 0', { user_id: randomUUID(), max_classes_per_day: 0 }],
    ['a daily limit of 11', { user_id: randomUUID(), max_classes_per_day: 11 }],
    ['a latitude out of range', { user_id: randomUUID(), location: { latitude: 91, longitude: 0 } }],
    ['an unknown field', { user_id: randomUUID(), colour: 'red' }],
    ['neither user_id nor name and email', { name: 'Jane Doe', specialization: 'Yoga' }],
  ])('answers 400 for %s and writes nothing', async (_case, body) => {
    const before = await t.eventCount();
    const res = await request(t.app)
      .post('/api/v1/trainers')
      .set(...root.auth)
      .send(body);
    expectProblem(res, 400, 'validation-error');
    expect(await t.eventCount()).toBe(before);
  });

  it('is for admins: signed out 401, a member or a trainer 403', async () => {
    const account = await trainerAccount();
    const anonymous = await request(t.app).post('/api/v1/trainers').send({ user_id: account.userId });
    expectProblem(anonymous, 401, 'unauthenticated');
    const trainer = await signUp(t, 'trainer');
    for (const actor of [member, trainer]) {
      const res = await request(t.app)
        .post('/api/v1/trainers')
        .set(...actor.auth)
        .send({ user_id: account.userId });
      expectProblem(res, 403, 'forbidden');
    }
  });
});

describe('GET /trainers', () => {
  it('lists trainers by specialization, case-insensitively, page by page', async () => {
    const tag = `Kathak${randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await trainerAccount([i % 2 ? tag : tag.toLowerCase(), 'Yoga'])).userId);
    for (const id of ids)
      await request(t.app)
        .post('/api/v1/trainers')
        .set(...root.auth)
        .send({ user_id: id });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const query: Record<string, string> = { limit: '2', specialization: tag.toUpperCase() };
      if (cursor) query.cursor = cursor;
      const page = await request(t.app)
        .get('/api/v1/trainers')
        .set(...member.auth)
        .query(query);
      expect(page.status).toBe(200);
      expect(page.body.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.map((tr: { id: string }) => tr.id));
      cursor = page.headers['arcfit-next-cursor'];
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('answers 400 for a page over 100, a bad cursor or an unknown parameter; 401 signed out', async () => {
    for (const query of [{ limit: '101' }, { cursor: 'nonsense' }, { colour: 'red' }]) {
      const res = await request(t.app)
        .get('/api/v1/trainers')
        .set(...member.auth)
        .query(query);
      expectProblem(res, 400, 'validation-error');
    }
    expectProblem(await request(t.app).get('/api/v1/trainers'), 401, 'unauthenticated');
  });
});

describe('GET /trainers/{id}', () => {
  it('answers 404 for a trainer without a profile, 400 for a bad id, 401 signed out', async () => {
    const account = await trainerAccount();
    expectProblem(
      await request(t.app)
        .get(`/api/v1/trainers/${account.userId}`)
        .set(...member.auth),
      404,
      'trainer-not-found',
    );
    expectProblem(
      await request(t.app)
        .get('/api/v1/trainers/not-a-uuid')
        .set(...member.auth),
      400,
      'validation-error',
    );
    expectProblem(await request(t.app).get(`/api/v1/trainers/${account.userId}`), 401, 'unauthenticated');
  });
});

describe('PATCH /trainers/{id}', () => {
  it('lets the trainer change their own profile, guarded by If-Match', async () => {
    const trainer = await trainerWithProfile();
    const current = await request(t.app)
      .get(`/api/v1/trainers/${trainer.userId}`)
      .set(...trainer.auth);
    const changed = await request(t.app)
      .patch(`/api/v1/trainers/${trainer.userId}`)
      .set(...trainer.auth)
      .set('If-Match', String(current.headers.etag))
      .send({
        name: 'Asha R',
        specialization: ['Yoga', 'Dance'],
        location: { latitude: 28.5, longitude: 77.1 },
      });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Asha R',
      specialization: 'Yoga',
      specializations: ['Yoga', 'Dance'],
      home_location: { address: null, latitude: 28.5, longitude: 77.1 },
    });
    expect(Number(JSON.parse(String(changed.headers.etag)))).toBe(
      Number(JSON.parse(String(current.headers.etag))) + 1,
    );

    const before = await t.eventCount();
    const stale = await request(t.app)
      .patch(`/api/v1/trainers/${trainer.userId}`)
      .set(...trainer.auth)
      .set('If-Match', String(current.headers.etag))
      .send({ name: 'Stale' });
    expectProblem(stale, 412, 'stale-revision');
    expect(await t.eventCount()).toBe(before);
  });

  it('leaves the daily limit to a super_admin', async () => {
    const trainer = await trainerWithProfile();
    const before = await t.eventCount();
    const own = await request(t.app)
      .patch(`/api/v1/trainers/${trainer.userId}`)
      .set(...trainer.auth)
      .send({ max_classes_per_day: 8 });
    expectProblem(own, 403, 'forbidden');
    expect(await t.eventCount()).toBe(before);
    const byRoot = await request(t.app)
      .patch(`/api/v1/trainers/${trainer.userId}`)
      .set(...root.auth)
      .send({ max_classes_per_day: 5 });
    expect(byRoot.status).toBe(200);
    expect(byRoot.body.max_classes_per_day).toBe(5);
  });

  it('refuses anyone else: another trainer, a member, an admin (403), or no one (401)', async () => {
    const trainer = await trainerWithProfile();
    const other = await signUp(t, 'trainer');
    for (const actor of [other, member, societyAdmin]) {
      const res = await request(t.app)
        .patch(`/api/v1/trainers/${trainer.userId}`)
        .set(...actor.auth)
        .send({ name: 'Taken over' });
      expectProblem(res, 403, 'forbidden');
    }
    expectProblem(
      await request(t.app).patch(`/api/v1/trainers/${trainer.userId}`).send({ name: 'X' }),
      401,
      'unauthenticated',
    );
  });

  it('answers 400 for an empty or invalid change and writes nothing; 404 for no profile', async () => {
    const trainer = await trainerWithProfile();
    const before = await t.eventCount();
    for (const body of [{}, { specialization: [] }, { name: '' }, { email: 'x@example.com' }]) {
      const res = await request(t.app)
        .patch(`/api/v1/trainers/${trainer.userId}`)
        .set(...trainer.auth)
        .send(body);
      expectProblem(res, 400, 'validation-error');
    }
    expect(await t.eventCount()).toBe(before);
    const account = await trainerAccount();
    const missing = await request(t.app)
      .patch(`/api/v1/trainers/${account.userId}`)
      .set(...root.auth)
      .send({ name: 'X' });
    expectProblem(missing, 404, 'trainer-not-found');
  });
});

describe('POST /trainers/{id}/availability', () => {
  const availability = {
    weekly: [
      { weekday: 'mon', start: '06:00', end: '09:00' },
      { weekday: 'mon', start: '17:00', end: '19:30' },
      { weekday: 'sat', start: '07:00', end: '24:00' },
    ],
    slots: [{ date: '2026-03-03', start: '10:00', end: '11:00' }],
    unavailable: ['2026-03-09'],
  };

  it('replaces the trainer’s availability, shown in HH:mm', async () => {
    const trainer = await trainerWithProfile();
    const set = await request(t.app)
      .post(`/api/v1/trainers/${trainer.userId}/availability`)
      .set(...trainer.auth)
      .send(availability);
    expect(set.status).toBe(200);
    expect(set.body.availability).toEqual(availability);
    const replaced = await request(t.app)
      .post(`/api/v1/trainers/${trainer.userId}/availability`)
      .set(...root.auth)
      .send({ weekly: [{ weekday: 'tue', start: '08:00', end: '09:00' }] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.availability).toEqual({
      weekly: [{ weekday: 'tue', start: '08:00', end: '09:00' }],
      slots: [],
      unavailable: [],
    });
    const fetched = await request(t.app)
      .get(`/api/v1/trainers/${trainer.userId}`)
      .set(...member.auth);
    expect(fetched.body.availability).toEqual(replaced.body.availability);
  });

  it.each([
    ['a window that ends before it starts', { weekly: [{ weekday: 'mon', start: '09:00', end: '08:00' }] }],
    ['an empty window', { slots: [{ date: '2026-03-03', start: '09:00', end: '09:00' }] }],
    [
      'overlapping weekly windows',
      {
        weekly: [
          { weekday: 'mon', start: '06:00', end: '09:00' },
          { weekday: 'mon', start: '08:30', end: '10:00' },
        ],
      },
    ],
    [
      'overlapping dated slots',
      {
        slots: [
          { date: '2026-03-03', start: '10:00', end: '11:00' },
          { date: '2026-03-03', start: '10:59', end: '12:00' },
        ],
      },
    ],
    ['a time that is not HH:mm', { weekly: [{ weekday: 'mon', start: '7am', end: '09:00' }] }],
    ['25:00', { weekly: [{ weekday: 'mon', start: '23:00', end: '25:00' }] }],
    ['an unknown weekday', { weekly: [{ weekday: 'funday', start: '07:00', end: '09:00' }] }],
    ['a date that does not exist', { unavailable: ['2026-02-30'] }],
  ])('answers 400 for %s and writes nothing', async (_case, body) => {
    const trainer = await trainerWithProfile();
    const before = await t.eventCount();
    const res = await request(t.app)
      .post(`/api/v1/trainers/${trainer.userId}/availability`)
      .set(...trainer.auth)
      .send(body);
    expectProblem(res, 400, 'validation-error');
    expect(await t.eventCount()).toBe(before);
  });

  it('is the trainer’s own (or a super_admin’s) to set', async () => {
    const trainer = await trainerWithProfile();
    const other = await signUp(t, 'trainer');
    for (const actor of [other, member, societyAdmin]) {
      const res = await request(t.app)
        .post(`/api/v1/trainers/${trainer.userId}/availability`)
        .set(...actor.auth)
        .send(availability);
      expectProblem(res, 403, 'forbidden');
    }
    expectProblem(
      await request(t.app).post(`/api/v1/trainers/${trainer.userId}/availability`).send(availability),
      401,
      'unauthenticated',
    );
  });
});

describe('GET /trainers/{id}/schedule', () => {
  it('shows the day’s claimed classes to the trainer, any society admin and a super_admin', async () => {
    const trainer = await trainerWithProfile({ specialization: ['Yoga'] });
    const date = '2026-03-02';
    const assign = (classId: string, start: number, end: number) =>
      assignTrainerToSlot(
        t.commands,
        {
          trainerId: trainer.userId,
          classId,
          societyId,
          societyLocation: { lat: 28.6, lng: 77.3 },
          date,
          start,
          end,
          classType: 'yoga',
        },
        { commandId: randomUUID(), commandType: 'AssignTrainer' },
      );
    const morning = randomUUID();
    const evening = randomUUID();
    await assign(evening, 18 * 60, 19 * 60);
    const { position } = await assign(morning, 7 * 60, 8 * 60 + 30);
    const otherAdmin = (await adminWithSociety(t)).admin;

    for (const actor of [trainer, societyAdmin, otherAdmin, root]) {
      const res = await request(t.app)
        .get(`/api/v1/trainers/${trainer.userId}/schedule`)
        .set(...actor.auth)
        .query({ date, min_position: formatPosition(position!) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        trainer_id: trainer.userId,
        date,
        max_classes_per_day: 3,
        slots: [
          { class_id: morning, society_id: societyId, start: '07:00', end: '08:30' },
          { class_id: evening, society_id: societyId, start: '18:00', end: '19:00' },
        ],
      });
    }

    const released = await releaseTrainerSlot(
      t.commands,
      { trainerId: trainer.userId, classId: morning, date },
      { commandId: randomUUID(), commandType: 'ReleaseTrainer' },
    );
    const after = await request(t.app)
      .get(`/api/v1/trainers/${trainer.userId}/schedule`)
      .set(...trainer.auth)
      .query({ date, min_position: formatPosition(released.position!) });
    expect(after.body.slots.map((s: { class_id: string }) => s.class_id)).toEqual([evening]);

    const otherDay = await request(t.app)
      .get(`/api/v1/trainers/${trainer.userId}/schedule`)
      .set(...trainer.auth)
      .query({ date: '2026-03-03' });
    expect(otherDay.body.slots).toEqual([]);
  });

  it('is refused to members (403), other trainers (403) and no one (401)', async () => {
    const trainer = await trainerWithProfile();
    const other = await trainerWithProfile();
    for (const actor of [member, other]) {
      const res = await request(t.app)
        .get(`/api/v1/trainers/${trainer.userId}/schedule`)
        .set(...actor.auth)
        .query({ date: '2026-03-02' });
      expectProblem(res, 403, 'forbidden');
    }
    expectProblem(
      await request(t.app).get(`/api/v1/trainers/${trainer.userId}/schedule`).query({ date: '2026-03-02' }),
      401,
      'unauthenticated',
    );
  });

  it('answers 400 without a real date, 404 for no profile', async () => {
    const trainer = await trainerWithProfile();
    for (const query of [{}, { date: '02-03-2026' }, { date: '2026-13-01' }]) {
      const res = await request(t.app)
        .get(`/api/v1/trainers/${trainer.userId}/schedule`)
        .set(...root.auth)
        .query(query);
      expectProblem(res, 400, 'validation-error');
    }
    const account = await trainerAccount();
    expectProblem(
      await request(t.app)
        .get(`/api/v1/trainers/${account.userId}/schedule`)
        .set(...root.auth)
        .query({ date: '2026-03-02' }),
      404,
      'trainer-not-found',
    );
  });
});

describe('trainer read models', () => {
  const trainerProjections = [trainersProjection, trainerDaySlotsProjection];
  const snapshot = async (knex: Knex = t.db.knex) => ({
    trainers: await knex('trainers').orderBy('id'),
    slots: await knex('trainer_day_slots').orderBy(['trainer_id', 'date', 'class_id']),
  });
  /** Applies `events` to both projections in batches of the given sizes, in `trx`. */
  const applyInBatches = async (trx: Knex.Transaction, events: RecordedEvent[], cuts: number[]) => {
    for (const projection of trainerProjections) {
      const mine = events.filter((e) => projection.handles.includes(e.type));
      const bounds = [0, ...cuts.filter((c) => c > 0 && c < mine.length), mine.length];
      for (let i = 0; i + 1 < bounds.length; i++)
        await applyEvents(projection, mine.slice(bounds[i], bounds[i + 1]), {
          trx,
          table: (name: string) => `${name}_v${projection.version}`,
        });
    }
  };
  /** Runs `body` in a transaction that is rolled back, so the served rows stay as they were. */
  const inRolledBackTransaction = async (body: (trx: Knex.Transaction) => Promise<void>) => {
    const rollback = new Error('rollback');
    await expect(
      t.db.knex.transaction(async (trx) => {
        await body(trx);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  };

  it('are idempotent: applying every trainer event again changes no row', async () => {
    const before = await snapshot();
    expect(before.trainers.length).toBeGreaterThan(0);
    const events = await t.store.readAll({ maxCount: 100_000 });
    const oneByOne = events.map((_, i) => i);
    await t.db.knex.transaction(async (trx) => {
      await applyInBatches(trx, events, oneByOne);
      await applyInBatches(trx, events, []);
    });
    expect(await snapshot()).toEqual(before);
  });

  it('rebuild the same rows from zero in one batch or split anywhere, a released slot claimed again included', async () => {
    const trainer = await trainerWithProfile({ specialization: ['Yoga'] });
    const classId = randomUUID();
    const slot = { trainerId: trainer.userId, classId, date: '2026-04-06' };
    const claim = (start: number) =>
      assignTrainerToSlot(
        t.commands,
        { ...slot, societyId, societyLocation: null, start, end: start + 60, classType: 'yoga' },
        { commandId: randomUUID(), commandType: 'AssignTrainer' },
      );
    await claim(9 * 60);
    await releaseTrainerSlot(t.commands, slot, { commandId: randomUUID(), commandType: 'ReleaseTrainer' });
    const { position } = await claim(10 * 60);
    await t.waiter.waitFor(position!, 10_000);
    const served = await snapshot();
    expect(served.slots.filter((s) => s.class_id === classId).map((s) => s.start_minute)).toEqual([600]);

    const events = await t.store.readAll({ maxCount: 100_000 });
    const slotEvents = events.filter((e) => trainerDaySlotsProjection.handles.includes(e.type)).length;
    for (const cuts of [[], [1], [Math.floor(slotEvents / 2)], [slotEvents - 2], [slotEvents - 1]]) {
      await inRolledBackTransaction(async (trx) => {
        await trx.raw(
          `TRUNCATE trainers_v${trainersProjection.version}, trainer_day_slots_v${trainerDaySlotsProjection.version}`,
        );
        await applyInBatches(trx, events, cuts);
        expect(await snapshot(trx)).toEqual(served);
      });
    }
  });
});
