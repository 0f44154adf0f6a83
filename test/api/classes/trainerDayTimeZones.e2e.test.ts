import request from 'supertest';
import { streams } from '../../../src/events/streams';
import { registerSociety, signUp, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

let t: TestApp;
let admin: Actor;
let kolkata: string;
let dubai: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t, 'society_admin');
  // No coordinates: the buffer between the two is the conservative unknown-distance hour.
  kolkata = await registerSociety(t, admin, { timezone: 'Asia/Kolkata' });
  dubai = await registerSociety(t, admin, { timezone: 'Asia/Dubai' });
});
afterAll(async () => t.dispose());

const kind = (body: { type?: string }) => String(body.type).split('/').pop();
const createClass = (societyId: string, trainerId: string, start: string, end: string) =>
  request(t.app)
    .post('/api/v1/events')
    .set(...admin.auth)
    .send({
      name: 'Yoga',
      society_id: societyId,
      class_type: 'yoga',
      trainer_id: trainerId,
      date: '2030-03-04',
      start_time: start,
      end_time: end,
    });

describe('a trainer serving societies in two time zones', () => {
  it('claims the day with instants and compares classes in absolute time', async () => {
    const coach = await signUp(t, 'trainer');
    // Kolkata 11:00–12:00 is 05:30–06:30Z.
    const first = await createClass(kolkata, coach.userId, '11:00', '12:00');
    expect(first.status).toBe(201);
    const [claim] = await t.store.readStream(streams.trainerDay(coach.userId, '2030-03-04'));
    expect(claim?.data).toMatchObject({
      timezone: 'Asia/Kolkata',
      startsAt: '2030-03-04T05:30:00.000Z',
      endsAt: '2030-03-04T06:30:00.000Z',
    });

    // Dubai 08:00–09:00 is 04:00–05:00Z: only 30 minutes before, although 2 hours by wall clock.
    const tooClose = await createClass(dubai, coach.userId, '08:00', '09:00');
    expect([tooClose.status, kind(tooClose.body)]).toEqual([422, 'trainer-overlap']);
    // Dubai 11:30–12:30 is 07:30–08:30Z: an hour after, although overlapping by wall clock.
    const later = await createClass(dubai, coach.userId, '11:30', '12:30');
    expect(later.status).toBe(201);
  });
});
