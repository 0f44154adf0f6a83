import request from 'supertest';
import type { TestApp } from '../../support/testApp';
import { type BookingSociety, startBookingWorld } from './bookingActors';

let t: TestApp;
let society: BookingSociety;
beforeAll(async () => ({ t, society } = await startBookingWorld()));
afterAll(async () => t.dispose());

const api = '/api/v1';

describe('two cancels of one booking at once', () => {
  it('answers both with the booking as it is: canceled, never the stale status', async () => {
    const member = await society.member();
    // Several bookings, each canceled twice at once: the loser of each race must not read a stale row.
    const days = ['2030-04-01', '2030-04-02', '2030-04-03', '2030-04-04', '2030-04-05'];
    for (const date of days) {
      const eventId = await society.klass({ date, start_time: '07:00', end_time: '08:00' });
      const booked = await request(t.app)
        .post(`${api}/bookings`)
        .set(...member.auth)
        .send({ event_id: eventId });
      expect(booked.status).toBe(201);
      const cancel = () =>
        request(t.app)
          .delete(`${api}/bookings/${booked.body.id}`)
          .set(...member.auth);
      const answers = await Promise.all([cancel(), cancel()]);
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: booked.body.id, status: 'canceled' });
      }
      const shown = await request(t.app)
        .get(`${api}/members/${member.userId}/bookings`)
        .set(...member.auth);
      const row = shown.body.find((b: { id: string }) => b.id === booked.body.id);
      expect(row.status).toBe('canceled');
    }
  });
});
