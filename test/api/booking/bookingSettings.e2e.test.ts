import request from 'supertest';
import { registerSociety, signUp, type Actor } from '../../support/actors';
import { giveActiveSubscription } from '../../support/subscriptions';
import { startTestApp, type TestApp } from '../../support/testApp';
import { kolkataWallClock } from './bookingActors';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

const api = '/api/v1';
/** The last segment of a problem type URI, e.g. `weekly-limit-reached`. */
const kind = (body: { type?: string }) => String(body.type).split('/').pop();

/** A society registered with these settings (none: the defaults), its admin, members and classes. */
const societyWith = async (settings: Record<string, unknown> = {}) => {
  const admin = await signUp(t, 'society_admin');
  const societyId = await registerSociety(t, admin, settings);

  const member = async (): Promise<Actor> => {
    const actor = await signUp(t, 'member', { society_id: societyId });
    const approved = await request(t.app)
      .post(`${api}/members/${actor.userId}/status`)
      .set(...admin.auth)
      .send({ status: 'approved' });
    if (approved.status !== 200)
      throw new Error(`approve failed: ${approved.status} ${JSON.stringify(approved.body)}`);
    await giveActiveSubscription(t, { adminToken: admin.token, memberId: actor.userId, societyId });
    return actor;
  };

  const klass = async (body: Record<string, unknown> = {}) => {
    const res = await request(t.app)
      .post(`${api}/events`)
      .set(...admin.auth)
      .send({
        name: 'Evening Dance',
        society_id: societyId,
        class_type: 'dance',
        date: '2030-04-08',
        start_time: '18:00',
        end_time: '19:00',
        max_members: 20,
        ...body,
      });
    if (res.status !== 201) throw new Error(`class failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };

  /** A class starting about two hours from now (one to three hours: between the two cutoffs tested). */
  const classInTwoHours = async () => {
    let startsAt = new Date(Math.ceil((Date.now() + 120 * 60_000) / 60_000) * 60_000);
    // Class times are one local day: step past midnight rather than end on the next day.
    while (
      kolkataWallClock(startsAt).date !== kolkataWallClock(new Date(startsAt.getTime() + 5 * 60_000)).date
    )
      startsAt = new Date(startsAt.getTime() + 5 * 60_000);
    const start = kolkataWallClock(startsAt);
    const end = kolkataWallClock(new Date(startsAt.getTime() + 5 * 60_000));
    const eventId = await klass({ date: start.date, start_time: start.time, end_time: end.time });
    return { eventId, startsAt };
  };

  const change = async (body: Record<string, unknown>) => {
    const res = await request(t.app)
      .patch(`${api}/societies/${societyId}`)
      .set(...admin.auth)
      .send(body);
    expect(res.status).toBe(200);
    return res.body;
  };

  return { admin, societyId, member, klass, classInTwoHours, change };
};

const book = (actor: Actor, eventId: string) =>
  request(t.app)
    .post(`${api}/bookings`)
    .set(...actor.auth)
    .send({ event_id: eventId });

const cancel = (actor: Actor, bookingId: string) =>
  request(t.app)
    .delete(`${api}/bookings/${bookingId}`)
    .set(...actor.auth);

/** Three classes on three days of ISO week 2030-W15. */
const threeClassesOfOneWeek = (society: Awaited<ReturnType<typeof societyWith>>) =>
  Promise.all(['2030-04-08', '2030-04-10', '2030-04-12'].map((date) => society.klass({ date })));

describe('a society’s weekly booking limit', () => {
  it('refuses a member’s third booking of a week at a limit of 2, which a default society takes', async () => {
    const strict = await societyWith({ weekly_booking_limit: 2 });
    const member = await strict.member();
    const [first, second, third] = await threeClassesOfOneWeek(strict);
    expect((await book(member, first!)).status).toBe(201);
    expect((await book(member, second!)).status).toBe(201);
    const before = await t.eventCount();
    const refused = await book(member, third!);
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(kind(refused.body)).toBe('weekly-limit-reached');
    expect(refused.body).toMatchObject({ status: 422, limit: 2, week: '2030-W15' });
    expect(await t.eventCount()).toBe(before);
    // Another week is another allowance.
    expect((await book(member, await strict.klass({ date: '2030-04-15' }))).status).toBe(201);

    const usual = await societyWith();
    const other = await usual.member();
    for (const eventId of await threeClassesOfOneWeek(usual))
      expect((await book(other, eventId)).status).toBe(201);
  });

  it('applies a changed limit to later bookings', async () => {
    const society = await societyWith();
    expect(await society.change({ weekly_booking_limit: 1 })).toMatchObject({ weekly_booking_limit: 1 });
    const member = await society.member();
    const [first, second] = await threeClassesOfOneWeek(society);
    expect((await book(member, first!)).status).toBe(201);
    const refused = await book(member, second!);
    expect([refused.status, kind(refused.body), refused.body.limit]).toEqual([
      422,
      'weekly-limit-reached',
      1,
    ]);

    // Raised again: the very next booking is decided on the new limit.
    await society.change({ weekly_booking_limit: 3 });
    expect((await book(member, second!)).status).toBe(201);
  });
});

describe('a society’s cancellation cutoff', () => {
  it('refuses a member’s cancel two hours before the start at a 180-minute cutoff, naming it; a default society allows it', async () => {
    const strict = await societyWith({ cancellation_cutoff_minutes: 180 });
    const member = await strict.member();
    const { eventId, startsAt } = await strict.classInTwoHours();
    const booking = await book(member, eventId);
    expect(booking.status).toBe(201);
    const before = await t.eventCount();
    const late = await cancel(member, booking.body.id);
    expect(late.status).toBe(422);
    expect(late.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(kind(late.body)).toBe('cancellation-cutoff-passed');
    expect(late.body).toMatchObject({
      status: 422,
      cutoff: new Date(startsAt.getTime() - 180 * 60_000).toISOString(),
      starts_at: startsAt.toISOString(),
    });
    expect(late.body.detail).toMatch(/180 minutes/);
    expect(await t.eventCount()).toBe(before);
    // The society's admin still may.
    const byAdmin = await cancel(strict.admin, booking.body.id);
    expect([byAdmin.status, byAdmin.body.status]).toEqual([200, 'canceled']);

    const usual = await societyWith();
    const other = await usual.member();
    const usualClass = await usual.classInTwoHours();
    const kept = await book(other, usualClass.eventId);
    const canceled = await cancel(other, kept.body.id);
    expect([canceled.status, canceled.body.status]).toEqual([200, 'canceled']);
  });

  it('applies a changed cutoff to later cancellations', async () => {
    const society = await societyWith();
    const member = await society.member();
    const { eventId } = await society.classInTwoHours();
    const booking = await book(member, eventId);
    expect(booking.status).toBe(201);

    expect(await society.change({ cancellation_cutoff_minutes: 180 })).toMatchObject({
      cancellation_cutoff_minutes: 180,
    });
    const late = await cancel(member, booking.body.id);
    expect([late.status, kind(late.body)]).toEqual([422, 'cancellation-cutoff-passed']);

    await society.change({ cancellation_cutoff_minutes: 0 });
    const canceled = await cancel(member, booking.body.id);
    expect([canceled.status, canceled.body.status]).toEqual([200, 'canceled']);
  });
});
