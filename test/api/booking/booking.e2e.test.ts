import request from 'supertest';
import { signUp } from '../../support/actors';
import type { TestApp } from '../../support/testApp';
import { type BookingSociety, kolkataWallClock, startBookingWorld } from './bookingActors';

let t: TestApp;
let society: BookingSociety;
beforeAll(async () => ({ t, society } = await startBookingWorld()));
afterAll(async () => t.dispose());

const api = '/api/v1';
/** The last segment of a problem type URI, e.g. `weekly-limit-reached`. */
const kind = (body: { type?: string }) => String(body.type).split('/').pop();
const bookAs = (actor: { auth: [string, string] }, eventId: string, key?: string) => {
  const req = request(t.app)
    .post(`${api}/bookings`)
    .set(...actor.auth);
  return (key ? req.set('Idempotency-Key', key) : req).send({ event_id: eventId });
};

describe('booking a class over HTTP', () => {
  it('confirms a seat, shows it in the member’s bookings and takes it from the class’s seats_left', async () => {
    const member = await society.member();
    const eventId = await society.klass({ start_time: '06:00', end_time: '06:45' });
    const res = await bookAs(member, eventId);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      member_id: member.userId,
      event_id: eventId,
      status: 'confirmed',
      waitlist_position: null,
    });

    const mine = await request(t.app)
      .get(`${api}/members/${member.userId}/bookings`)
      .set(...member.auth);
    expect(mine.body.map((b: { id: string }) => b.id)).toEqual([res.body.id]);
    expect(mine.body[0]).toMatchObject({ event_name: 'Morning Yoga', status: 'confirmed' });
    const sameList = await request(t.app)
      .get(`${api}/bookings/${member.userId}`)
      .set(...member.auth);
    expect(sameList.body).toEqual(mine.body);
    const event = await request(t.app)
      .get(`${api}/events/${eventId}`)
      .set(...member.auth);
    expect(event.body.seats_left).toBe(19);
  });

  it('books once for a retried request with the same Idempotency-Key', async () => {
    const member = await society.member();
    const eventId = await society.klass({ start_time: '08:00', end_time: '08:30' });
    const first = await bookAs(member, eventId, 'book-once');
    const retry = await bookAs(member, eventId, 'book-once');
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.id).toBe(first.body.id);
    const list = await request(t.app)
      .get(`${api}/bookings/event/${eventId}`)
      .set(...society.admin.auth);
    expect(list.body).toHaveLength(1);
  });

  it('refuses, writing nothing: no subscription, not approved, a trainer, booking for someone else', async () => {
    const eventId = await society.klass({ start_time: '09:00', end_time: '09:30' });
    const unsubscribed = await society.member({ subscribed: false });
    const pending = await society.member({ approved: false });
    const trainer = await signUp(t, 'trainer');
    const other = await society.member();
    const before = await t.eventCount();

    const noPlan = await bookAs(unsubscribed, eventId);
    expect([noPlan.status, kind(noPlan.body)]).toEqual([422, 'subscription-required']);
    const notApproved = await bookAs(pending, eventId);
    expect([notApproved.status, kind(notApproved.body)]).toEqual([422, 'member-not-approved']);
    expect((await bookAs(trainer, eventId)).status).toBe(403);
    const forOther = await request(t.app)
      .post(`${api}/members/${unsubscribed.userId}/bookings`)
      .set(...other.auth)
      .send({ event_id: eventId });
    expect(forOther.status).toBe(403);
    expect(await t.eventCount()).toBe(before);
  });

  it('lets an admin book for a member of their society, and refuses a second booking of the same class', async () => {
    const member = await society.member();
    const eventId = await society.klass({ start_time: '10:00', end_time: '10:30' });
    const res = await request(t.app)
      .post(`${api}/events/${eventId}/bookings`)
      .set(...society.admin.auth)
      .send({ member_id: member.userId });
    expect(res.status).toBe(201);
    const again = await bookAs(member, eventId);
    expect([again.status, kind(again.body)]).toEqual([409, 'already-booked']);
  });

  it('refuses the sixth booking of a week with 422 weekly-limit-reached', async () => {
    const member = await society.member();
    const days = ['2030-03-11', '2030-03-12', '2030-03-13', '2030-03-14', '2030-03-15', '2030-03-16'];
    const events = await Promise.all(days.map((date) => society.klass({ date })));
    for (const eventId of events.slice(0, 5)) expect((await bookAs(member, eventId)).status).toBe(201);
    const sixth = await bookAs(member, events[5]!);
    expect(sixth.status).toBe(422);
    expect(kind(sixth.body)).toBe('weekly-limit-reached');
    expect(sixth.body).toMatchObject({ limit: 5, week: '2030-W11' });
  });
});

describe('the waitlist', () => {
  it('queues members of a full class and promotes the first when a seat is given up', async () => {
    const eventId = await society.klass({
      date: '2030-03-05',
      start_time: '18:00',
      end_time: '19:00',
      max_members: 2,
    });
    const [a, b, c, d] = [
      await society.member(),
      await society.member(),
      await society.member(),
      await society.member(),
    ];
    const booked = [];
    for (const m of [a, b, c, d]) booked.push((await bookAs(m, eventId)).body);
    expect(booked.map((x) => [x.status, x.waitlist_position])).toEqual([
      ['confirmed', null],
      ['confirmed', null],
      ['waitlist', 1],
      ['waitlist', 2],
    ]);

    const canceled = await request(t.app)
      .delete(`${api}/bookings/${booked[0].id}`)
      .set(...a.auth);
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ id: booked[0].id, status: 'canceled' });

    const waitlist = await request(t.app)
      .get(`${api}/events/${eventId}/waitlist`)
      .set(...society.admin.auth);
    expect(waitlist.body).toEqual([
      { id: booked[3].id, member_id: d.userId, status: 'waitlist', position: 1 },
    ]);
    const all = await request(t.app)
      .get(`${api}/bookings/event/${eventId}`)
      .set(...society.admin.auth);
    expect(all.body.map((x: { member_id: string; status: string }) => [x.member_id, x.status])).toEqual([
      [b.userId, 'confirmed'],
      [c.userId, 'confirmed'],
      [d.userId, 'waitlist'],
      [a.userId, 'canceled'],
    ]);
    const event = await request(t.app)
      .get(`${api}/events/${eventId}`)
      .set(...a.auth);
    expect(event.body.seats_left).toBe(0);

    // Canceling again is a no-op, not an error.
    const twice = await request(t.app)
      .delete(`${api}/members/${a.userId}/bookings/${booked[0].id}`)
      .set(...a.auth);
    expect([twice.status, twice.body.status]).toEqual([200, 'canceled']);
    // Someone else's booking does not exist for a member.
    expect(
      (
        await request(t.app)
          .delete(`${api}/bookings/${booked[1].id}`)
          .set(...a.auth)
      ).status,
    ).toBe(404);
  });
});

describe('cancellation cutoff', () => {
  it('refuses a member within the hour before the start, naming the cutoff; an admin may still cancel', async () => {
    const startsAt = new Date(Math.ceil((Date.now() + 30 * 60_000) / 60_000) * 60_000);
    const start = kolkataWallClock(startsAt);
    const end = kolkataWallClock(new Date(startsAt.getTime() + 5 * 60_000));
    const eventId = await society.klass({ date: start.date, start_time: start.time, end_time: end.time });
    const member = await society.member();
    const booking = await bookAs(member, eventId);
    expect(booking.status).toBe(201);

    const late = await request(t.app)
      .delete(`${api}/bookings/${booking.body.id}`)
      .set(...member.auth);
    expect(late.status).toBe(422);
    expect(kind(late.body)).toBe('cancellation-cutoff-passed');
    expect(late.body).toMatchObject({
      cutoff: new Date(startsAt.getTime() - 60 * 60_000).toISOString(),
      starts_at: startsAt.toISOString(),
    });
    const byAdmin = await request(t.app)
      .delete(`${api}/bookings/${booking.body.id}`)
      .set(...society.admin.auth);
    expect([byAdmin.status, byAdmin.body.status]).toEqual([200, 'canceled']);
  });
});

describe('a canceled class', () => {
  it('cancels its bookings and gives the weekly slots back', async () => {
    const member = await society.member();
    const days = ['2030-03-18', '2030-03-19', '2030-03-20', '2030-03-21', '2030-03-22', '2030-03-23'];
    const events = await Promise.all(days.map((date) => society.klass({ date })));
    for (const eventId of events.slice(0, 5)) expect((await bookAs(member, eventId)).status).toBe(201);
    const cancel = await request(t.app)
      .post(`${api}/events/${events[0]}/cancel`)
      .set(...society.admin.auth)
      .send({ reason: 'trainer ill' });
    expect(cancel.status).toBe(200);
    const mine = await request(t.app)
      .get(`${api}/members/${member.userId}/bookings`)
      .set(...member.auth);
    const first = mine.body.find((b: { event_id: string }) => b.event_id === events[0]);
    expect(first).toMatchObject({ status: 'canceled', cancel_reason: 'class-canceled' });
    // The slot came back: a sixth class that week is bookable now.
    expect((await bookAs(member, events[5]!)).status).toBe(201);
  });
});

describe('a booking the class refuses', () => {
  it('writes nothing: no weekly slot claimed and given back for a canceled class', async () => {
    const member = await society.member();
    const eventId = await society.klass({ date: '2030-04-09' });
    const cancel = await request(t.app)
      .post(`${api}/events/${eventId}/cancel`)
      .set(...society.admin.auth)
      .send({ reason: 'hall closed' });
    expect(cancel.status).toBe(200);
    const before = await t.eventCount();
    const res = await bookAs(member, eventId);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await t.eventCount()).toBe(before);
  });
});

describe('attendance and participants', () => {
  it('lists confirmed participants for the trainer view; attendance waits for the start', async () => {
    const member = await society.member();
    const eventId = await society.klass({ start_time: '12:00', end_time: '12:30', date: '2030-04-01' });
    const booking = await bookAs(member, eventId);
    const early = await request(t.app)
      .post(`${api}/bookings/${booking.body.id}/attendance`)
      .set(...society.admin.auth)
      .send({ attendance: 'present' });
    expect([early.status, kind(early.body)]).toEqual([422, 'class-not-started']);
    expect(
      (
        await request(t.app)
          .post(`${api}/bookings/${booking.body.id}/attendance`)
          .set(...member.auth)
          .send({ attendance: 'present' })
      ).status,
    ).toBe(403);
  });
});

describe('calendar feeds', () => {
  it('serves a member’s confirmed classes as iCalendar to whoever holds the token, and nothing without it', async () => {
    const member = await society.member();
    const eventId = await society.klass({
      name: 'Salsa Night',
      class_type: 'dance',
      date: '2030-04-02',
      start_time: '19:00',
      end_time: '20:00',
    });
    expect((await bookAs(member, eventId)).status).toBe(201);
    const issued = await request(t.app)
      .post(`${api}/members/${member.userId}/calendar-token`)
      .set(...member.auth);
    expect(issued.status).toBe(201);

    const feed = await request(t.app).get(issued.body.path);
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(feed.text).toContain('BEGIN:VCALENDAR');
    expect(feed.text).toContain('SUMMARY:Salsa Night (dance)');
    expect(feed.text).toContain('DTSTART:20300402T133000Z');

    const wrong = await request(t.app).get(
      `${api}/members/${member.userId}/calendar.ics?token=${'x'.repeat(43)}`,
    );
    expect(wrong.status).toBe(404);
    // A new token revokes the old URL.
    await request(t.app)
      .post(`${api}/members/${member.userId}/calendar-token`)
      .set(...member.auth);
    expect((await request(t.app).get(issued.body.path)).status).toBe(404);
  });
});
