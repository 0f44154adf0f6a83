import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { registerSociety, signUp, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

// Kolkata is UTC+05:30, Dubai UTC+04:00: one date, clocks 90 minutes apart. Neither society has
// coordinates, so travel between them is the conservative unknown-distance hour. The trainer holds
// Dubai 08:00–09:00 (04:00–05:00Z); then, in Kolkata:
//   07:00–08:15 (01:30–02:45Z) overlaps it by wall clock, yet ends 75 minutes before it: free;
//   10:15–11:15 (04:45–05:45Z) is 75 minutes after it by wall clock, yet overlaps it: taken.
let t: TestApp;
let admin: Actor;
let kolkata: string;
let dubai: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t, 'society_admin');
  kolkata = await registerSociety(t, admin, { timezone: 'Asia/Kolkata' });
  dubai = await registerSociety(t, admin, { timezone: 'Asia/Dubai' });
});
afterAll(async () => t.dispose());

const createClass = async (body: Record<string, unknown>) => {
  const res = await request(t.app)
    .post('/api/v1/events')
    .set(...admin.auth)
    .send({ name: 'Yoga', max_members: 10, ...body });
  if (res.status !== 201) throw new Error(`class failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; starts_at: string };
};

/** A trainer of their own class type (so no other test's trainer competes), holding Dubai 08:00–09:00. */
const trainerHoldingDubaiEight = async (date: string) => {
  const type = `yoga-${randomUUID()}`;
  const coach = await signUp(t, 'trainer', { specialization: [type] });
  const held = await createClass({
    society_id: dubai,
    class_type: type,
    trainer_id: coach.userId,
    date,
    start_time: '08:00',
    end_time: '09:00',
  });
  expect(held.starts_at).toBe(`${date}T04:00:00.000Z`);
  return { type, coach };
};

describe('a trainer serving societies in two time zones', () => {
  it('the weekly plan gives them what the claim accepts, and not what it would refuse', async () => {
    const { type, coach } = await trainerHoldingDubaiEight('2030-06-03'); // Monday of 2030-W23
    for (const [start_time, duration_minutes] of [
      ['07:00', 75],
      ['10:15', 60],
    ] as const) {
      const res = await request(t.app)
        .post(`/api/v1/societies/${kolkata}/schedule-templates`)
        .set(...admin.auth)
        .send({ name: 'Flow', weekday: 'mon', start_time, duration_minutes, class_type: type });
      expect(res.status).toBe(201);
    }

    const res = await request(t.app)
      .post('/api/v1/schedules/generate')
      .set(...admin.auth)
      .send({ week: '2030-W23', society_id: kolkata });
    expect(res.status).toBe(200);
    const mine = (list: { class_type: string; class_id: string }[]) =>
      list.filter((c) => c.class_type === type);
    const staffed = mine(res.body.assignments);
    expect(staffed).toEqual([expect.objectContaining({ start_time: '07:00', trainer_id: coach.userId })]);
    expect(res.body.created).toContain(staffed[0]?.class_id);
    // Left unstaffed by the plan itself, not planned and then refused by the claim.
    expect(mine(res.body.unstaffed)).toEqual([
      expect.objectContaining({ start_time: '10:15', reason: 'trainers-fully-booked' }),
    ]);
  });

  it('trainer suggestions for a class weigh the trainer’s other classes in absolute time', async () => {
    const date = '2030-06-10';
    const { type, coach } = await trainerHoldingDubaiEight(date);
    const suggested = async (start_time: string, end_time: string) => {
      const c = await createClass({ society_id: kolkata, class_type: type, date, start_time, end_time });
      const res = await request(t.app)
        .get(`/api/v1/events/${c.id}/trainer-suggestions`)
        .set(...admin.auth);
      expect(res.status).toBe(200);
      return res.body.map((s: { trainer_id: string }) => s.trainer_id);
    };
    expect(await suggested('07:00', '08:15')).toEqual([coach.userId]);
    expect(await suggested('10:15', '11:15')).toEqual([]);
  });

  it('a class the trainer holds keeps the instants its claim recorded, though its society’s zone changes later', async () => {
    const date = '2030-06-17';
    const type = `yoga-${randomUUID()}`;
    const coach = await signUp(t, 'trainer', { specialization: [type] });
    const gulf = await registerSociety(t, admin, { timezone: 'Asia/Dubai' });
    await createClass({
      society_id: gulf,
      class_type: type,
      trainer_id: coach.userId,
      date,
      start_time: '08:00',
      end_time: '09:00',
    }); // held at 04:00–05:00Z
    // The society now says Kolkata: its wall clock 08:00 would be 02:30Z, clashing with the class below.
    const moved = await request(t.app)
      .patch(`/api/v1/societies/${gulf}`)
      .set(...admin.auth)
      .send({ timezone: 'Asia/Kolkata' });
    expect(moved.status).toBe(200);

    // Kolkata 07:00–08:15 is 01:30–02:45Z: 75 minutes clear of what the claim holds.
    const c = await createClass({
      society_id: kolkata,
      class_type: type,
      date,
      start_time: '07:00',
      end_time: '08:15',
    });
    const res = await request(t.app)
      .get(`/api/v1/events/${c.id}/trainer-suggestions`)
      .set(...admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.map((s: { trainer_id: string }) => s.trainer_id)).toEqual([coach.userId]);
    // And the claim itself agrees: assigning them is accepted.
    const assigned = await request(t.app)
      .post(`/api/v1/trainers/${coach.userId}/assign`)
      .set(...admin.auth)
      .send({ event_id: c.id });
    expect(assigned.status).toBe(200);
  });
});
