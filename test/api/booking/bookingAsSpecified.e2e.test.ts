import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { registerSociety, signUp } from '../../support/actors';
import { giveActiveSubscription } from '../../support/subscriptions';
import type { TestApp } from '../../support/testApp';
import { type BookingSociety, startBookingWorld } from './bookingActors';

/**
 * Bookings as the spec and a calendar app see them: bare-array lists, the spec's 400 for an
 * unknown event in the body, the society's own date, and calendar feeds a calendar app can use.
 */
let t: TestApp;
let society: BookingSociety;
beforeAll(async () => ({ t, society } = await startBookingWorld()));
afterAll(async () => t.dispose());

const api = '/api/v1';
const kind = (body: { type?: string }) => String(body.type).split('/').pop();

/** The local date of an instant in a zone. */
const localDate = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );

describe('booking answers', () => {
  it('lists a member’s and a class’s bookings, and the waitlist, as bare arrays', async () => {
    const member = await society.member();
    const eventId = await society.klass({ start_time: '09:00', end_time: '09:30' });
    const booked = await request(t.app)
      .post(`${api}/bookings`)
      .set(...member.auth)
      .send({ member_id: member.userId, event_id: eventId });
    expect(booked.status).toBe(201);
    for (const path of [`/bookings/${member.userId}`, `/members/${member.userId}/bookings`]) {
      const mine = await request(t.app)
        .get(`${api}${path}`)
        .set(...member.auth);
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual([expect.objectContaining({ id: booked.body.id, event_id: eventId })]);
    }
    const ofClass = await request(t.app)
      .get(`${api}/bookings/event/${eventId}`)
      .set(...society.admin.auth);
    expect(ofClass.body).toEqual([expect.objectContaining({ id: booked.body.id, member_id: member.userId })]);
    const waitlist = await request(t.app)
      .get(`${api}/events/${eventId}/waitlist`)
      .set(...society.admin.auth);
    expect(waitlist.body).toEqual([]);
  });

  it('refuses an unknown event named in the body with 400 and says what to check, writing nothing', async () => {
    const member = await society.member();
    const unknown = randomUUID();
    const res = await request(t.app)
      .post(`${api}/bookings`)
      .set(...member.auth)
      .send({ member_id: member.userId, event_id: unknown });
    expect(res.status).toBe(400);
    expect(kind(res.body)).toBe('class-not-found');
    expect(res.body.detail).toContain(unknown);
    const mine = await request(t.app)
      .get(`${api}/bookings/${member.userId}`)
      .set(...member.auth);
    expect(mine.body).toEqual([]);
  });

  it('dates a booking in the society’s time zone, not UTC', async () => {
    // A zone whose date differs from UTC's right now: UTC+14 from 10:00 UTC, else UTC-11.
    const zone = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const societyId = await registerSociety(t, society.admin, { timezone: zone });
    const created = await request(t.app)
      .post(`${api}/events`)
      .set(...society.admin.auth)
      .send({
        name: 'Far Yoga',
        society_id: societyId,
        class_type: 'yoga',
        date: '2030-03-04',
        start_time: '07:00',
        end_time: '08:00',
      });
    expect(created.status).toBe(201);
    const person = await signUp(t, 'member', { society_id: societyId });
    await request(t.app)
      .post(`${api}/members/${person.userId}/status`)
      .set(...society.admin.auth)
      .send({ status: 'approved' });
    await giveActiveSubscription(t, { adminToken: society.admin.token, memberId: person.userId, societyId });
    const before = new Date();
    const booked = await request(t.app)
      .post(`${api}/bookings`)
      .set(...person.auth)
      .send({ event_id: created.body.id });
    expect(booked.status).toBe(201);
    const expected = [localDate(before, zone), localDate(new Date(), zone)];
    expect(expected).toContain(booked.body.booking_date);
    const read = await request(t.app)
      .get(`${api}/members/${person.userId}/bookings`)
      .set(...person.auth);
    const listed = Array.isArray(read.body) ? read.body : read.body.bookings;
    expect(expected).toContain(listed[0].booking_date);
  });
});

describe('calendar feeds', () => {
  it('answers an absolute feed URL a calendar app can subscribe to, from the request’s host', async () => {
    const member = await society.member();
    const issued = await request(t.app)
      .post(`${api}/members/${member.userId}/calendar-token`)
      .set('Host', 'roster.example.org')
      .set(...member.auth);
    expect(issued.status).toBe(201);
    const url = new URL(issued.body.url);
    expect(url.origin).toBe('http://roster.example.org');
    expect(url.pathname).toBe(`${api}/members/${member.userId}/calendar.ics`);
    const feed = await request(t.app).get(`${url.pathname}${url.search}`);
    expect(feed.status).toBe(200);
  });

  it('answers a malformed token as it answers a wrong one: 404, with a detail', async () => {
    const member = await society.member();
    await request(t.app)
      .post(`${api}/members/${member.userId}/calendar-token`)
      .set(...member.auth);
    const wrong = await request(t.app).get(
      `${api}/members/${member.userId}/calendar.ics?token=${'x'.repeat(43)}`,
    );
    const malformed = await request(t.app).get(`${api}/members/${member.userId}/calendar.ics?token=short`);
    const missing = await request(t.app).get(`${api}/members/${member.userId}/calendar.ics`);
    for (const res of [wrong, malformed, missing]) {
      expect(res.status).toBe(404);
      expect(kind(res.body)).toBe('calendar-not-found');
      expect(res.body.detail).toMatch(/calendar-token/);
    }
  });
});
