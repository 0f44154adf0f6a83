import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { createAnalystLogin } from '../../../src/projections/analytics/analystLogin';
import { startTestApp, type TestApp } from '../../support/testApp';
import { driveSociety, readSideCaughtUp } from '../audit/auditScenario';

const api = '/api/v1';
let t: TestApp;
let world: Awaited<ReturnType<typeof driveSociety>>;

beforeAll(async () => {
  t = await startTestApp();
  world = await driveSociety(t);
  await readSideCaughtUp(t);
}, 120_000);
afterAll(async () => t.dispose());

it('sums up a society: approved members, live bookings, seats taken, net revenue, and its weeks', async () => {
  const res = await request(t.app)
    .get(`${api}/societies/${world.societyId}/analytics`)
    .set(...world.admin.auth);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    id: world.societyId, // the spec's name for it
    society_id: world.societyId,
    total_members: 3, // the rejected applicant is not a member
    total_bookings: 1, // one seat canceled, the waitlisted booking promoted into it
    average_booking_rate: 100, // the one seat of the one class is taken
    total_revenue: 300, // three subscriptions of 100.00, a JSON number as the spec shows money
    currency: 'INR',
    revenue_by_currency: [{ currency: 'INR', net: 300 }],
  });
  expect(res.body.weekly_trends).toEqual([
    {
      week: '2030-W10',
      classes: 1,
      seats: 1,
      seats_taken: 1,
      fill_rate: '100.0',
      bookings: 2,
      waitlist_size: 0,
      attended: 0,
      no_shows: 0,
      cancellations: 1,
    },
  ]);
});

it('sums up a class, and keeps other societies’ admins out', async () => {
  const res = await request(t.app)
    .get(`${api}/events/${world.classId}/analytics`)
    .set(...world.admin.auth);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    event_id: world.classId,
    attendance_count: 0,
    total_bookings: 1,
    cancellations: 1,
    waitlist_size: 0,
    revenue_generated: 0, // no revenue is booked in the class's month (March 2030)
  });
  const other = await driveSociety(t);
  const refused = await request(t.app)
    .get(`${api}/events/${world.classId}/analytics`)
    .set(...other.admin.auth);
  expect(refused.status).toBe(403);
});

it('lets an analyst’s database login read the analytics views and nothing personal', async () => {
  const login = `analyst_${randomBytes(4).toString('hex')}`;
  await createAnalystLogin(t.db.knex, login, 'analyst passphrase');
  const url = new URL(t.db.url);
  url.username = login;
  url.password = 'analyst passphrase';
  const analyst = new pg.Client({ connectionString: url.toString() });
  await analyst.connect();
  try {
    const trends = await analyst.query(
      `SELECT week, fill_rate FROM analytics.society_weekly_trends WHERE society_id = $1`,
      [world.societyId],
    );
    expect(trends.rows).toEqual([{ week: '2030-W10', fill_rate: '100.0' }]);
    const members = await analyst.query(`SELECT * FROM analytics.members WHERE society_id = $1`, [
      world.societyId,
    ]);
    expect(members.rows.length).toBe(4);
    expect(Object.keys(members.rows[0])).not.toEqual(expect.arrayContaining(['name']));
    expect(Object.keys(members.rows[0])).not.toContain('email');
    await expect(analyst.query('SELECT * FROM events LIMIT 1')).rejects.toThrow(/permission denied/);
    await expect(analyst.query('SELECT * FROM public.members LIMIT 1')).rejects.toThrow(/permission denied/);
    await expect(analyst.query(`UPDATE analytics.bookings SET status = 'x'`)).rejects.toThrow(
      /permission denied/,
    );
  } finally {
    await analyst.end();
  }
});
