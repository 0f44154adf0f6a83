import request from 'supertest';
import { adminWithSociety, signUp, superAdmin, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

let t: TestApp;
let root: Actor;
let admin: Actor;
let otherAdmin: Actor;
let societyId: string;
let otherSocietyId: string;
let memberA: Actor;
let memberB: Actor;
let classId: string;
let otherClassId: string;

const approve = async (by: Actor, member: Actor) => {
  const res = await request(t.app)
    .post(`/api/v1/members/${member.userId}/status`)
    .set(...by.auth)
    .send({ status: 'approved' });
  expect(res.status).toBe(200);
};

const createClass = async (by: Actor, society: string, name: string) => {
  const res = await request(t.app)
    .post('/api/v1/events')
    .set(...by.auth)
    .send({
      name,
      society_id: society,
      class_type: 'yoga',
      date: '2030-03-04',
      start_time: '10:00 AM',
      end_time: '11:00 AM',
    });
  expect(res.status).toBe(201);
  return res.body.id as string;
};

const schedule = (by: Actor, body: Record<string, unknown>) =>
  request(t.app)
    .post('/api/v1/notifications/schedule')
    .set(...by.auth)
    .send({ member_id: memberA.userId, event_id: classId, notification_type: 'reminder', ...body });

beforeAll(async () => {
  t = await startTestApp();
  root = await superAdmin(t);
  ({ admin, societyId } = await adminWithSociety(t));
  ({ admin: otherAdmin, societyId: otherSocietyId } = await adminWithSociety(t));
  memberA = await signUp(t, 'member', { society_id: societyId });
  memberB = await signUp(t, 'member', { society_id: societyId });
  await approve(admin, memberA);
  classId = await createClass(admin, societyId, 'Hatha Yoga');
  otherClassId = await createClass(otherAdmin, otherSocietyId, 'Elsewhere Yoga');
});
afterAll(async () => t.dispose());

describe('POST /notifications/schedule', () => {
  it('schedules a reminder at the society’s wall-clock time and answers with the spec’s fields', async () => {
    const res = await schedule(admin, { scheduled_time: '2030-03-03T10:00:00' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/notifications/${res.body.id}`);
    expect(res.body).toMatchObject({
      member_id: memberA.userId,
      event_id: classId,
      notification_type: 'reminder',
      // 10:00 in Asia/Kolkata (UTC+05:30)
      scheduled_time: '2030-03-03T04:30:00.000Z',
      status: 'pending',
      subject: 'Reminder: Hatha Yoga tomorrow',
    });
    expect(res.body.body).toContain('Mon, 4 Mar 2030, 10:00 AM (Asia/Kolkata)');
  });

  it('takes an explicit offset as given, and the same Idempotency-Key once', async () => {
    const send = () =>
      schedule(admin, { scheduled_time: '2030-03-03T06:00:00Z', notification_type: 'event_update' }).set(
        'Idempotency-Key',
        'schedule-once',
      );
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect(first.body.scheduled_time).toBe('2030-03-03T06:00:00.000Z');
    expect(again.body.id).toBe(first.body.id);
  });

  it('refuses, writing nothing: a past time (422), a class of another society (422), a member the admin does not administer (404), a bad body (400)', async () => {
    const before = await t.eventCount();
    const past = await schedule(admin, { scheduled_time: '2020-01-01T10:00:00Z' });
    expect(past.status).toBe(422);
    expect(past.body.type).toMatch(/scheduled-time-in-past$/);
    const elsewhere = await schedule(admin, {
      scheduled_time: '2030-03-03T10:00:00',
      event_id: otherClassId,
    });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.type).toMatch(/event-not-in-society$/);
    const notTheirs = await schedule(otherAdmin, { scheduled_time: '2030-03-03T10:00:00' });
    expect(notTheirs.status).toBe(404);
    const bad = await schedule(admin, { scheduled_time: 'tomorrow', notification_type: 'birthday' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const impossible of [
      '2030-02-31T10:00:00',
      '2030-03-01T24:30:00',
      '2030-13-01T10:00',
      '2030-03-01T10:00+25:00',
    ]) {
      expect((await schedule(admin, { scheduled_time: impossible })).status).toBe(400);
    }
    expect(await t.eventCount()).toBe(before);
  });

  it('is for admins: a member is refused (403)', async () => {
    expect((await schedule(memberA, { scheduled_time: '2030-03-03T10:00:00' })).status).toBe(403);
  });
});

describe('reading notifications', () => {
  it('GET /notifications/{id} resolves a notification id, and a member id to that member’s list', async () => {
    const scheduled = await schedule(admin, {
      scheduled_time: '2030-03-03T11:00:00',
      notification_type: 'new_event',
    });
    const one = await request(t.app)
      .get(`/api/v1/notifications/${scheduled.body.id}`)
      .set(...memberA.auth);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: scheduled.body.id, notification_type: 'new_event' });

    const list = await request(t.app)
      .get(`/api/v1/notifications/${memberA.userId}`)
      .set(...memberA.auth);
    expect(list.status).toBe(200);
    // A bare array, as the API contract shows it; each item carries notification_id (and id).
    expect(Array.isArray(list.body)).toBe(true);
    for (const n of list.body) expect(n.notification_id).toBe(n.id);
    const types = list.body.map((n: { notification_type: string }) => n.notification_type);
    expect(types).toEqual(expect.arrayContaining(['member_approved', 'new_event', 'reminder']));

    const unambiguous = await request(t.app)
      .get(`/api/v1/members/${memberA.userId}/notifications`)
      .set(...admin.auth);
    expect(unambiguous.body.map((n: { id: string }) => n.id)).toEqual(
      list.body.map((n: { id: string }) => n.id),
    );
  });

  it('pages newest first with a cursor', async () => {
    const first = await request(t.app)
      .get(`/api/v1/members/${memberA.userId}/notifications?limit=2`)
      .set(...memberA.auth);
    expect(first.body).toHaveLength(2);
    // The next page is linked in the headers; following the link reads it.
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))![1]!;
    expect(next).toContain(`cursor=${first.headers['arcfit-next-cursor']}`);
    const second = await request(t.app)
      .get(next)
      .set(...memberA.auth);
    const all = await request(t.app)
      .get(`/api/v1/members/${memberA.userId}/notifications`)
      .set(...memberA.auth);
    const ids = (r: request.Response) => r.body.map((n: { id: string }) => n.id);
    expect([...ids(first), ...ids(second)]).toEqual(
      ids(all).slice(0, ids(first).length + ids(second).length),
    );
  });

  it('GET /notifications/{member_id}/status counts them', async () => {
    const res = await request(t.app)
      .get(`/api/v1/notifications/${memberA.userId}/status`)
      .set(...memberA.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending');
    expect(res.body.notification_count).toBe(
      res.body.pending + res.body.sent + res.body.failed + res.body.canceled,
    );
    expect(res.body.notification_count).toBeGreaterThanOrEqual(4);
  });

  it('hides another member’s notifications (404, not 403) from members and other societies’ admins', async () => {
    const scheduled = await schedule(admin, { scheduled_time: '2030-03-03T12:00:00' });
    for (const caller of [memberB, otherAdmin]) {
      for (const path of [
        `/api/v1/notifications/${scheduled.body.id}`,
        `/api/v1/notifications/${memberA.userId}`,
        `/api/v1/notifications/${memberA.userId}/status`,
        `/api/v1/members/${memberA.userId}/notifications`,
      ]) {
        const res = await request(t.app)
          .get(path)
          .set(...caller.auth);
        expect([path, res.status]).toEqual([path, 404]);
      }
    }
    const asRoot = await request(t.app)
      .get(`/api/v1/notifications/${scheduled.body.id}`)
      .set(...root.auth);
    expect(asRoot.status).toBe(200);
  });
});

describe('channel preferences', () => {
  it('keeps each person’s channels and quiet hours', async () => {
    const initial = await request(t.app)
      .get('/api/v1/notifications/preferences')
      .set(...memberB.auth);
    expect(initial.body).toEqual({ email: true, sms: false, in_app: true, quiet_hours: null });
    const saved = await request(t.app)
      .put('/api/v1/notifications/preferences')
      .set(...memberB.auth)
      .send({ sms: true, quiet_hours: { start: '10:00 PM', end: '07:00', timezone: 'Asia/Kolkata' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      email: true,
      sms: true,
      in_app: true,
      quiet_hours: { start: '22:00', end: '07:00', timezone: 'Asia/Kolkata' },
    });
    const bad = await request(t.app)
      .put('/api/v1/notifications/preferences')
      .set(...memberB.auth)
      .send({ quiet_hours: { start: '25:00', end: '07:00', timezone: 'Mars/Olympus' } });
    expect(bad.status).toBe(400);
  });
});
