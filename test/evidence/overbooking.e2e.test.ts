import request from 'supertest';
import type { Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';
import { bookingSociety } from '../api/booking/bookingActors';
import { recordEvidence } from './support/evidenceResults';

/**
 * Seats and the weekly limit under a storm over HTTP: members book small classes all at once,
 * some cancel while others are still booking (so promotions race new bookings), and one member
 * fires more bookings in one week than the limit allows, all at once. Counted from what the API
 * shows afterwards: confirmed seats above a class's capacity are overbookings; bookings held above
 * five in a week are limit breaches. Both must be zero.
 */
const SEATS = 3;
const WEEKLY_LIMIT = 5;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(async () => t.dispose());

type Booking = { id: string; member_id: string; event_id: string; status: string };

it('never confirms more members than seats, nor more than five bookings a week, under concurrent booking and cancelling', async () => {
  const society = await bookingSociety(t);
  const members: Actor[] = [];
  for (let i = 0; i < 10; i++) members.push(await society.member());
  const classIds: string[] = [];
  for (let i = 0; i < 3; i++)
    classIds.push(
      await society.klass({
        date: '2030-03-05',
        start_time: `0${6 + i}:00`,
        end_time: `0${6 + i}:45`,
        max_members: SEATS,
      }),
    );

  const book = (m: Actor, classId: string) =>
    request(t.app)
      .post('/api/v1/bookings')
      .set(...m.auth)
      .send({ event_id: classId });

  // Round 1: everyone books every class at once.
  const first = await Promise.all(members.flatMap((m) => classIds.map((c) => book(m, c))));
  expect(first.every((r) => r.status === 201 || r.status === 202)).toBe(true);

  // Round 2: confirmed members cancel while the rest re-book (replays) and a waitlist is promoted.
  const confirmed = first.filter((r) => r.body.status === 'confirmed');
  const owners = new Map(members.map((m) => [m.userId, m]));
  await Promise.all([
    ...confirmed.slice(0, 4).map((r) =>
      request(t.app)
        .delete(`/api/v1/bookings/${r.body.id}`)
        .set(...owners.get(r.body.member_id)!.auth),
    ),
    ...members.slice(5).flatMap((m) => classIds.map((c) => book(m, c))),
  ]);

  // One member, eight classes in one week, all at once: five at most are held.
  const greedy = members[0]!;
  const weekClasses: string[] = [];
  for (let d = 0; d < 8; d++)
    weekClasses.push(
      await society.klass({
        date: `2030-04-0${1 + (d % 5)}`,
        start_time: `${10 + Math.floor(d / 5) * 2}:00`,
        end_time: `${11 + Math.floor(d / 5) * 2}:00`,
      }),
    );
  const storm = await Promise.all(weekClasses.map((c) => book(greedy, c)));
  const refused = storm.filter((r) => r.status === 422);
  expect(refused.every((r) => String(r.body.type).endsWith('weekly-limit-reached'))).toBe(true);

  let overbookings = 0;
  for (const classId of classIds) {
    const res = await request(t.app)
      .get(`/api/v1/bookings/event/${classId}`)
      .set(...society.admin.auth);
    expect(res.status).toBe(200);
    const seated = (res.body as Booking[]).filter((b) => b.status === 'confirmed').length;
    overbookings += Math.max(0, seated - SEATS);
    // A freed seat is not left empty while someone waits.
    const waiting = (res.body as Booking[]).filter((b) => b.status === 'waitlist').length;
    if (waiting > 0) expect(seated).toBe(SEATS);
  }
  const mine = await request(t.app)
    .get(`/api/v1/members/${greedy.userId}/bookings?limit=100`)
    .set(...greedy.auth);
  const heldThatWeek = (mine.body as Booking[]).filter(
    (b) => weekClasses.includes(b.event_id) && b.status !== 'canceled',
  ).length;
  const limitBreaches = Math.max(0, heldThatWeek - WEEKLY_LIMIT);

  recordEvidence('overbooking', {
    bookingRequests: first.length + members.slice(5).length * classIds.length + storm.length,
    overbookings,
    limitBreaches,
    heldThatWeek,
  });
  expect(overbookings).toBe(0);
  expect(limitBreaches).toBe(0);
  expect(heldThatWeek).toBe(WEEKLY_LIMIT);
}, 180_000);
