import request from 'supertest';
import { registerSociety, signUp, uniquePhone, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

/**
 * Trainers as the trainer design has them: a society admin adds one with the spec's body (no
 * account needed), reads the spec's strings, and the trainer sets a day's slots as the spec writes them.
 */
let t: TestApp;
let admin: Actor;
let societyId: string;
let otherAdmin: Actor;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t, 'society_admin');
  societyId = await registerSociety(t, admin, { latitude: 28.6, longitude: 77.3 });
  otherAdmin = await signUp(t, 'society_admin');
  await registerSociety(t, otherAdmin);
});
afterAll(async () => t.dispose());

const api = '/api/v1';
const kind = (body: { type?: string }) => String(body.type).split('/').pop();
const email = () => `jane-${Math.random().toString(36).slice(2)}@example.com`;
const addTrainer = (body: object, as: Actor = admin) =>
  request(t.app)
    .post(`${api}/trainers`)
    .set(...as.auth)
    .send(body);
const spec = () => ({
  name: 'Jane Doe',
  email: email(),
  phone_number: uniquePhone(),
  specialization: 'Yoga',
  location: 'Society A',
  max_classes_per_day: 3,
});

describe('a society admin adds a trainer', () => {
  it('with the spec’s body, to their society: its admins see the contact details, others do not', async () => {
    const body = spec();
    const created = await addTrainer(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: 'Jane Doe',
      email: body.email,
      specialization: 'Yoga',
      specializations: ['Yoga'],
      location: 'Society A',
      // A place name has no coordinates: the society's are taken.
      home_location: { address: 'Society A', latitude: 28.6, longitude: 77.3 },
      society_id: societyId,
      max_classes_per_day: 3,
    });
    const ours = await request(t.app)
      .get(`${api}/trainers/${created.body.id}`)
      .set(...admin.auth);
    expect(ours.body).toMatchObject({ email: body.email, location: 'Society A' });
    const theirs = await request(t.app)
      .get(`${api}/trainers/${created.body.id}`)
      .set(...otherAdmin.auth);
    expect(theirs.status).toBe(200);
    expect(theirs.body).not.toHaveProperty('email');
    expect(theirs.body).not.toHaveProperty('location');
  });

  it('with the API contract’s shorter body (no location): based at the society', async () => {
    const created = await addTrainer({
      name: 'Jane Smith',
      email: email(),
      phone_number: uniquePhone(),
      specialization: 'Yoga',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ location: 'Somewhere', society_id: societyId });
  });

  it('refuses, writing nothing: a second trainer with one email, a member’s email, and an admin of several naming none', async () => {
    /** Sends, expects the refusal, and checks nothing was written. */
    const refused = async (send: () => Promise<request.Response>, status: number, type: string) => {
      const before = await t.eventCount();
      const res = await send();
      expect([res.status, kind(res.body)]).toEqual([status, type]);
      expect(await t.eventCount()).toBe(before);
      return res;
    };
    const body = spec();
    const first = await addTrainer(body);
    const again = await refused(
      () => addTrainer({ ...body, phone_number: uniquePhone() }),
      409,
      'trainer-exists',
    );
    expect(again.body.detail).toContain(first.body.id);
    const member = await signUp(t, 'member', { society_id: societyId });
    await refused(() => addTrainer({ ...spec(), email: member.email }), 409, 'trainer-exists');
    const busy = await signUp(t, 'society_admin');
    const one = await registerSociety(t, busy);
    const two = await registerSociety(t, busy);
    const unnamed = await refused(() => addTrainer(spec(), busy), 422, 'society-required');
    expect(unnamed.body.detail).toContain(one);
    expect(unnamed.body.detail).toContain(two);
    const named = await addTrainer({ ...spec(), society_id: two }, busy);
    expect([named.status, named.body.society_id]).toEqual([201, two]);
  });
});

describe('a trainer sets a day’s availability as the spec writes it', () => {
  it('takes {event_date, available_slots}, keeps the rest, and an empty list means unavailable', async () => {
    const trainer = await signUp(t, 'trainer', {
      specialization: ['Yoga'],
      location: { latitude: 28.6, longitude: 77.3 },
    });
    const path = `${api}/trainers/${trainer.userId}/availability`;
    const weekly = await request(t.app)
      .post(path)
      .set(...trainer.auth)
      .send({ weekly: [{ weekday: 'mon', start: '07:00', end: '12:00' }] });
    expect(weekly.status).toBe(200);
    const day = await request(t.app)
      .post(path)
      .set(...trainer.auth)
      .send({ event_date: '2030-02-01', available_slots: ['10:00 AM - 11:00 AM', '2:00 PM - 3:00 PM'] });
    expect(day.status).toBe(200);
    expect(day.body).toMatchObject({
      id: trainer.userId,
      event_date: '2030-02-01',
      available_slots: ['10:00 AM - 11:00 AM', '2:00 PM - 3:00 PM'],
      updated_at: expect.any(String),
    });
    expect(day.body.availability).toMatchObject({
      weekly: [{ weekday: 'mon', start: '07:00', end: '12:00' }],
      slots: [
        { date: '2030-02-01', start: '10:00', end: '11:00' },
        { date: '2030-02-01', start: '14:00', end: '15:00' },
      ],
    });
    const off = await request(t.app)
      .post(path)
      .set(...trainer.auth)
      .send({ event_date: '2030-02-01', available_slots: [] });
    expect(off.body).toMatchObject({
      available_slots: [],
      availability: { slots: [], unavailable: ['2030-02-01'] },
    });
    const before = await t.eventCount();
    const bad = await request(t.app)
      .post(path)
      .set(...trainer.auth)
      .send({ event_date: '2030-02-01', available_slots: ['11:00 AM - 10:00 AM'] });
    expect([bad.status, kind(bad.body)]).toEqual([400, 'validation-error']);
    expect(await t.eventCount()).toBe(before);
  });
});
