import request from 'supertest';
import type { TestApp } from '../../support/testApp';
import { type BookingSociety, startBookingWorld } from '../booking/bookingActors';

let t: TestApp;
let society: BookingSociety;
beforeAll(async () => ({ t, society } = await startBookingWorld()));
afterAll(async () => t.dispose());

const api = '/api/v1';
/** The last segment of a problem type URI, e.g. `class-has-bookings-in-week`. */
const kind = (body: { type?: string }) => String(body.type).split('/').pop();
const moveTo = (eventId: string, date: string) =>
  request(t.app)
    .patch(`${api}/events/${eventId}`)
    .set(...society.admin.auth)
    .send({ date });
const classOf = async (eventId: string) =>
  (
    await request(t.app)
      .get(`${api}/events/${eventId}`)
      .set(...society.admin.auth)
  ).body;

// Tuesday 2030-03-05 is in 2030-W10 (Monday 03-04 to Sunday 03-10); 2030-03-12 is in W11.
describe('rescheduling a class with bookings (its booking week)', () => {
  it('refuses a move to another week while a booking holds its weekly slot, allows one within the week, and allows it once the booking is canceled', async () => {
    const member = await society.member();
    const eventId = await society.klass({ date: '2030-03-05', start_time: '07:00', end_time: '08:00' });
    const booked = await request(t.app)
      .post(`${api}/bookings`)
      .set(...member.auth)
      .send({ event_id: eventId });
    expect(booked.status).toBe(201);

    // To the next week: refused, nothing written, the class unchanged.
    const before = await t.eventCount();
    const refused = await moveTo(eventId, '2030-03-12');
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(kind(refused.body)).toBe('class-has-bookings-in-week');
    expect(refused.body).toMatchObject({
      active_bookings: 1,
      booking_week: '2030-W10',
      requested_booking_week: '2030-W11',
      detail: expect.stringMatching(/cancel the class/i),
    });
    expect(await t.eventCount()).toBe(before);
    expect(await classOf(eventId)).toMatchObject({ date: '2030-03-05', start_time: '07:00' });

    // Within the week: allowed.
    const withinWeek = await moveTo(eventId, '2030-03-07');
    expect(withinWeek.status).toBe(200);
    expect(withinWeek.body).toMatchObject({ date: '2030-03-07', start_time: '07:00' });

    // With the booking canceled, the class may leave its week.
    const canceled = await request(t.app)
      .delete(`${api}/bookings/${booked.body.id}`)
      .set(...member.auth);
    expect([canceled.status, canceled.body.status]).toEqual([200, 'canceled']);
    const nextWeek = await moveTo(eventId, '2030-03-12');
    expect(nextWeek.status).toBe(200);
    expect(nextWeek.body).toMatchObject({ date: '2030-03-12', start_time: '07:00' });
  });
});
