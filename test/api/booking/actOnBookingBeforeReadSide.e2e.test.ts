import request from 'supertest';
import { streams } from '../../../src/events/streams';
import { signUp, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';
import { bookingSociety, type BookingSociety } from './bookingActors';

/**
 * A booking answered 202 (recorded, the read side not caught up) is the caller's booking at once:
 * cancelling it or marking its attendance finds it on the write side, not in a read table that
 * does not show it yet.
 */
let t: TestApp;
/** Moves the command handler's clock (decisions), not the wall clock (tokens stay valid). */
let clockShiftMs = 0;
let society: BookingSociety;
let member: Actor;
let stranger: Actor;
let otherTrainer: Actor;
const classes: Record<'cancel' | 'cancelViaMember' | 'attendance', string> = {
  cancel: '',
  cancelViaMember: '',
  attendance: '',
};
const ATTENDANCE_CLASS_STARTS_AT = Date.parse('2030-03-06T01:30:00Z'); // 07:00 in Asia/Kolkata

beforeAll(async () => {
  t = await startTestApp({ clock: () => new Date(Date.now() + clockShiftMs) });
  society = await bookingSociety(t);
  member = await society.member();
  stranger = await society.member();
  otherTrainer = await signUp(t, 'trainer');
  classes.cancel = await society.klass({ date: '2030-03-04' });
  classes.cancelViaMember = await society.klass({ date: '2030-03-05' });
  classes.attendance = await society.klass({ date: '2030-03-06' });
  await t.holdReadSide();
});
afterAll(async () => t.dispose());

const api = '/api/v1';

/** Books through the API while the read side is held: the answer is 202, the booking's id in it. */
const bookedBehindReadSide = async (as: Actor, eventId: string, memberId?: string) => {
  const res = await request(t.app)
    .post(`${api}/bookings`)
    .set(...as.auth)
    .send({ event_id: eventId, ...(memberId ? { member_id: memberId } : {}) });
  expect([res.status, res.body.status]).toEqual([202, 'accepted']);
  return res.body.id as string;
};

const classFactsAbout = async (classId: string, bookingId: string) =>
  (await t.store.readStream(streams.class(classId)))
    .filter((e) => (e.data as { bookingId?: string }).bookingId === bookingId)
    .map((e) => e.type);

describe('acting on a booking before the read side shows it', () => {
  it('DELETE /bookings/{id} right after the 202 cancels it (a stranger still gets 404, writing nothing)', async () => {
    const bookingId = await bookedBehindReadSide(member, classes.cancel);

    const before = await t.eventCount();
    const byStranger = await request(t.app)
      .delete(`${api}/bookings/${bookingId}`)
      .set(...stranger.auth);
    expect(byStranger.status).toBe(404);
    expect(await t.eventCount()).toBe(before);

    const canceled = await request(t.app)
      .delete(`${api}/bookings/${bookingId}`)
      .set(...member.auth);
    expect([canceled.status, canceled.body.id]).toEqual([202, bookingId]);
    expect(await classFactsAbout(classes.cancel, bookingId)).toEqual(['BookingConfirmed', 'BookingCanceled']);
  });

  it('DELETE /members/{id}/bookings/{booking_id} right after the 202 cancels it; another member’s path is 404', async () => {
    const bookingId = await bookedBehindReadSide(member, classes.cancelViaMember);

    const wrongPath = await request(t.app)
      .delete(`${api}/members/${stranger.userId}/bookings/${bookingId}`)
      .set(...society.admin.auth);
    expect(wrongPath.status).toBe(404);

    const canceled = await request(t.app)
      .delete(`${api}/members/${member.userId}/bookings/${bookingId}`)
      .set(...society.admin.auth);
    expect([canceled.status, canceled.body.id]).toEqual([202, bookingId]);
    expect(await classFactsAbout(classes.cancelViaMember, bookingId)).toEqual([
      'BookingConfirmed',
      'BookingCanceled',
    ]);
  });

  it('POST /bookings/{id}/attendance right after the 202 marks it, once the class has started', async () => {
    const bookingId = await bookedBehindReadSide(society.admin, classes.attendance, member.userId);
    clockShiftMs = ATTENDANCE_CLASS_STARTS_AT + 30 * 60_000 - Date.now();

    const before = await t.eventCount();
    const notTheirClass = await request(t.app)
      .post(`${api}/bookings/${bookingId}/attendance`)
      .set(...otherTrainer.auth)
      .send({ attendance: 'present' });
    expect(notTheirClass.status).toBe(403);
    expect(await t.eventCount()).toBe(before);

    const marked = await request(t.app)
      .post(`${api}/bookings/${bookingId}/attendance`)
      .set(...society.admin.auth)
      .send({ attendance: 'present' });
    expect([marked.status, marked.body.id]).toEqual([202, bookingId]);
    expect(await classFactsAbout(classes.attendance, bookingId)).toEqual([
      'BookingConfirmed',
      'AttendanceMarked',
    ]);
  });
});
