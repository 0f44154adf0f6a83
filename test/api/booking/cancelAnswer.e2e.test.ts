import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import request from 'supertest';
import type { Actor } from '../../support/actors';
import type { TestApp } from '../../support/testApp';
import { type BookingSociety, startBookingWorld } from './bookingActors';

/**
 * A cancellation's answer is built from the decision it recorded, once the booking read models
 * include it: no statement reads the booking row back. And it is exactly what a later GET shows.
 * The statements are the ones sent while the DELETE is served (its async context), as in
 * test/api/readStatements.e2e.test.ts.
 */
const serving = new AsyncLocalStorage<{ texts: string[] }>();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  const counter = serving.getStore();
  const [first] = args;
  if (counter)
    counter.texts.push(typeof first === 'string' ? first : String((first as { text?: unknown })?.text));
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

let t: TestApp;
let society: BookingSociety;
beforeAll(async () => ({ t, society } = await startBookingWorld()));
afterAll(async () => t.dispose());

const api = '/api/v1';

const book = async (member: Actor, eventId: string) => {
  const res = await request(t.app)
    .post(`${api}/bookings`)
    .set(...member.auth)
    .send({ event_id: eventId });
  expect(res.status).toBe(201);
  return res.body as { id: string; status: string };
};

/** The DELETE, with the text of every statement sent while it was served. */
const cancel = async (as: Actor, path: string) => {
  const counter = { texts: [] as string[] };
  const res = await serving.run(counter, () =>
    request(t.app)
      .delete(path)
      .set(...as.auth)
      .then((r) => r),
  );
  return { res, texts: counter.texts };
};

/** The booking as the member's list shows it, cut to the fields a cancellation answers with. */
const shown = async (member: Actor, bookingId: string) => {
  const list = await request(t.app)
    .get(`${api}/members/${member.userId}/bookings`)
    .set(...member.auth);
  expect(list.status).toBe(200);
  const row = list.body.find((b: { id: string }) => b.id === bookingId);
  expect(row).toBeDefined();
  return { id: row.id, status: row.status, updated_at: row.updated_at, full: row };
};

const readsBookingRow = (texts: string[]) => texts.filter((text) => /from "bookings"/i.test(text));

describe('DELETE answers from the cancellation it recorded', () => {
  it('reads no booking row back, and answers what GET then shows', async () => {
    const member = await society.member();
    const eventId = await society.klass({ date: '2030-05-06' });
    const booked = await book(member, eventId);
    const { res, texts } = await cancel(member, `${api}/bookings/${booked.id}`);
    expect(res.status).toBe(200);
    expect(readsBookingRow(texts)).toEqual([]);
    const { full, ...later } = await shown(member, booked.id);
    expect(res.body).toStrictEqual(later);
    expect(later.status).toBe('canceled');
    // The row's times are the decision's: canceled when it was updated.
    expect(full.canceled_at).toBe(full.updated_at);
  });

  it('the member path answers the same way (an admin canceling for the member)', async () => {
    const member = await society.member();
    const eventId = await society.klass({ date: '2030-05-07' });
    const booked = await book(member, eventId);
    const { res, texts } = await cancel(
      society.admin,
      `${api}/members/${member.userId}/bookings/${booked.id}`,
    );
    expect(res.status).toBe(200);
    expect(readsBookingRow(texts)).toEqual([]);
    const { full, ...later } = await shown(member, booked.id);
    expect(res.body).toStrictEqual(later);
    expect(full.cancel_reason).toBe('admin');
  });

  it('a cancellation that promotes the waitlist answers the canceled booking as GET shows it', async () => {
    const [first, second, third] = [await society.member(), await society.member(), await society.member()];
    const eventId = await society.klass({ date: '2030-05-08', max_members: 1 });
    const seated = await book(first, eventId);
    const waiting = await book(second, eventId);
    const behind = await book(third, eventId);
    expect([seated.status, waiting.status, behind.status]).toEqual(['confirmed', 'waitlist', 'waitlist']);
    const { res, texts } = await cancel(first, `${api}/bookings/${seated.id}`);
    expect(res.status).toBe(200);
    expect(readsBookingRow(texts)).toEqual([]);
    const { full: _full, ...later } = await shown(first, seated.id);
    expect(res.body).toStrictEqual(later);
    expect((await shown(second, waiting.id)).full).toMatchObject({
      status: 'confirmed',
      waitlist_position: null,
    });
    expect((await shown(third, behind.id)).full).toMatchObject({ status: 'waitlist', waitlist_position: 1 });
  });

  it('canceling a waitlist place (the queue behind it moves up) answers as GET shows it', async () => {
    const [first, second, third] = [await society.member(), await society.member(), await society.member()];
    const eventId = await society.klass({ date: '2030-05-09', max_members: 1 });
    await book(first, eventId);
    const waiting = await book(second, eventId);
    const behind = await book(third, eventId);
    const { res } = await cancel(second, `${api}/bookings/${waiting.id}`);
    expect(res.status).toBe(200);
    const { full: _full, ...later } = await shown(second, waiting.id);
    expect(res.body).toStrictEqual(later);
    expect((await shown(third, behind.id)).full).toMatchObject({ status: 'waitlist', waitlist_position: 1 });
  });

  it('canceling again is a no-op that answers the first cancellation, as GET shows it', async () => {
    const member = await society.member();
    const eventId = await society.klass({ date: '2030-05-10' });
    const booked = await book(member, eventId);
    const first = await cancel(member, `${api}/bookings/${booked.id}`);
    const again = await cancel(member, `${api}/bookings/${booked.id}`);
    expect([first.res.status, again.res.status]).toEqual([200, 200]);
    const { full: _full, ...later } = await shown(member, booked.id);
    expect(first.res.body).toStrictEqual(later);
    expect(again.res.body).toStrictEqual(later);
  });
});
