import request from 'supertest';
import type { TestApp } from '../../support/testApp';
import { type BookingSociety, startBookingWorld } from './bookingActors';

/** A refusal speaks to whoever asked: a member is told what to do, an admin booking for them is told about the member. */
let t: TestApp;
let society: BookingSociety;
beforeAll(async () => ({ t, society } = await startBookingWorld()));
afterAll(async () => t.dispose());

it('tells an admin booking for an unsubscribed member about the member, and the member about themself', async () => {
  const eventId = await society.klass({ start_time: '09:00', end_time: '09:30' });
  const member = await society.member({ subscribed: false });
  const bookFor = (auth: [string, string]) =>
    request(t.app)
      .post(`/api/v1/members/${member.userId}/bookings`)
      .set(...auth)
      .send({ event_id: eventId });

  const byAdmin = await bookFor(society.admin.auth);
  expect(byAdmin.status).toBe(422);
  expect(byAdmin.body.type).toMatch(/subscription-required$/);
  expect(byAdmin.body.detail).toMatch(/^This member has no active subscription/);
  expect(byAdmin.body.detail).not.toMatch(/your society/);

  const byMember = await bookFor(member.auth);
  expect(byMember.status).toBe(422);
  expect(byMember.body.detail).toBe('Subscribe to a plan of your society, then book.');
});
