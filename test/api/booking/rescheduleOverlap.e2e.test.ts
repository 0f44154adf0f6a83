import request from 'supertest';
import type { TestApp } from '../../support/testApp';
import { type BookingSociety, startBookingWorld } from './bookingActors';

let t: TestApp;
let society: BookingSociety;
beforeAll(async () => ({ t, society } = await startBookingWorld()));
afterAll(async () => t.dispose());

const api = '/api/v1';
/** The last segment of a problem type URI, e.g. `booking-overlap`. */
const kind = (body: { type?: string }) => String(body.type).split('/').pop();
const bookAs = (actor: { auth: [string, string] }, eventId: string) =>
  request(t.app)
    .post(`${api}/bookings`)
    .set(...actor.auth)
    .send({ event_id: eventId });
const reschedule = (eventId: string, to: { date: string; start_time: string; end_time: string }) =>
  request(t.app)
    .patch(`${api}/events/${eventId}`)
    .set(...society.admin.auth)
    .send(to);

// All in ISO week 2030-W19 (Monday 6 May to Sunday 12 May), society-local.
const morningOfMonday = { date: '2030-05-06', start_time: '07:00', end_time: '08:00' };
const eveningOfTuesday = { date: '2030-05-07', start_time: '18:00', end_time: '19:00' };

describe('a rescheduled class’s bookings hold their member’s time at the class’s new time', () => {
  it('refuses a booking overlapping the new time and allows one at the old time', async () => {
    const member = await society.member();
    const a = await society.klass(morningOfMonday);
    const b = await society.klass(eveningOfTuesday);
    const atOldTime = await society.klass(morningOfMonday);
    expect((await bookAs(member, a)).status).toBe(201);

    const moved = await reschedule(a, eveningOfTuesday);
    expect(moved.status).toBe(200);

    const clash = await bookAs(member, b);
    expect([clash.status, kind(clash.body)]).toEqual([422, 'booking-overlap']);
    expect(clash.body.overlapping_event_id).toBe(a);
    const freed = await bookAs(member, atOldTime);
    expect([freed.status, freed.body.status]).toEqual([201, 'confirmed']);
  });

  it('keeps following the class when it moves again, for a member who booked it after the first move', async () => {
    const early = await society.member();
    const late = await society.member();
    const a = await society.klass({ ...morningOfMonday, start_time: '09:00', end_time: '10:00' });
    expect((await bookAs(early, a)).status).toBe(201);
    expect((await reschedule(a, { date: '2030-05-08', start_time: '09:00', end_time: '10:00' })).status).toBe(
      200,
    );
    // Booked right after the move: the time it holds is the class's new one, not a cached old one.
    expect((await bookAs(late, a)).status).toBe(201);
    const atMovedTime = await society.klass({ date: '2030-05-08', start_time: '09:30', end_time: '10:30' });
    for (const member of [early, late]) {
      const clash = await bookAs(member, atMovedTime);
      expect([clash.status, kind(clash.body)]).toEqual([422, 'booking-overlap']);
    }
    expect((await reschedule(a, { date: '2030-05-12', start_time: '09:00', end_time: '10:00' })).status).toBe(
      200,
    );
    for (const member of [early, late]) expect((await bookAs(member, atMovedTime)).status).toBe(201);
  });
});
