import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { BookingCommands } from '../../src/commands/booking/bookingCommands';
import { notificationsProjection } from '../../src/projections/notifications/notificationsProjection';
import { physicalTableName, applyEvents } from '../../src/projections/engine/projection';
import { ShadowRebuild } from '../../src/projections/engine/shadowRebuild';
import { adminWithSociety, signUp, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

let t: TestApp;
let admin: Actor;
let societyId: string;
let scenario: { classId: string; member: Actor; bookings: BookingCommands };

const noticesOf = (recipientId: string) =>
  t.db
    .knex('notifications')
    .where({ recipient_id: recipientId })
    .orderBy(['created_at', 'notification_type'])
    .select('notification_type', 'status', 'scheduled_time', 'subject', 'body');

beforeAll(async () => {
  t = await startTestApp();
  ({ admin, societyId } = await adminWithSociety(t));
});
afterAll(async () => t.dispose());

describe('notices from facts', () => {
  it('follows a class and a booking through assignment, move and cancellation; a replay changes nothing', async () => {
    const coach = await signUp(t, 'trainer', { specialization: ['yoga'] });
    expect(
      (
        await request(t.app)
          .post(`/api/v1/trainers/${coach.userId}/availability`)
          .set(...coach.auth)
          .send({ weekly: [{ weekday: 'mon', start: '06:00', end: '12:00' }] })
      ).status,
    ).toBe(200);
    const member = await signUp(t, 'member', { society_id: societyId });
    await request(t.app)
      .post(`/api/v1/members/${member.userId}/status`)
      .set(...admin.auth)
      .send({ status: 'approved' })
      .expect(200);
    const cls = await request(t.app)
      .post('/api/v1/events')
      .set(...admin.auth)
      .send({
        name: 'Ashtanga',
        society_id: societyId,
        class_type: 'yoga',
        date: '2030-03-18',
        start_time: '07:00',
        end_time: '08:00',
        trainer_id: coach.userId,
      })
      .expect(201);
    const classId = cls.body.id as string;

    const bookingId = randomUUID();
    const bookings = new BookingCommands(t.commands, { isActiveAt: async () => true });
    const booked = await bookings.book(
      { bookingId, classId, memberId: member.userId, bookedBy: member.userId },
      { commandId: randomUUID(), commandType: 'BookClass' },
    );
    await t.waiter.waitFor(booked.position!, 10_000);

    await request(t.app)
      .patch(`/api/v1/events/${classId}`)
      .set(...admin.auth)
      .send({ start_time: '09:00', end_time: '10:00' })
      .expect(200);
    // After the move, the reminder waits for 24 h before the new start (09:00 IST = 03:30 UTC).
    const reminder = await t.db
      .knex('notifications')
      .where({ member_id: member.userId, notification_type: 'reminder' })
      .first();
    expect(reminder).toMatchObject({ status: 'pending', scheduled_time: new Date('2030-03-17T03:30:00Z') });
    expect(reminder.body).toBe(
      'Reminder: your Ashtanga class is on Mon, 18 Mar 2030, 9:00 AM (Asia/Kolkata).',
    );

    const canceled = await bookings.cancel(
      { classId, bookingId, canceledBy: member.userId, byAdmin: false },
      { commandId: randomUUID(), commandType: 'CancelBooking' },
    );
    await t.waiter.waitFor(canceled.position!, 10_000);

    expect((await noticesOf(member.userId)).map((n) => [n.notification_type, n.status])).toEqual([
      ['member_approved', 'pending'],
      ['new_event', 'pending'],
      ['booking_confirmation', 'pending'],
      ['reminder', 'canceled'],
      ['event_update', 'pending'],
      ['cancellation', 'pending'],
    ]);
    expect((await noticesOf(coach.userId)).map((n) => [n.notification_type, n.subject])).toEqual([
      ['trainer_assignment', 'You are teaching Ashtanga'],
      ['event_update', 'Changed: Ashtanga'],
    ]);

    // Replay every fact through the projection once more, one at a time and then all in one
    // batch: no notice is queued twice, none changes.
    const before = await t.db.knex('notifications').orderBy('id');
    const events = (await t.store.readAll()).filter((e) => notificationsProjection.handles.includes(e.type));
    await t.db.knex.transaction(async (trx) => {
      const ctx = { trx, table: (name: string) => physicalTableName(name, notificationsProjection.version) };
      for (const event of events) await applyEvents(notificationsProjection, [event], ctx);
      await applyEvents(notificationsProjection, events, ctx);
    });
    expect(await t.db.knex('notifications').orderBy('id')).toEqual(before);
    scenario = { classId, member, bookings };
  });

  it('queues the same notices when every fact arrives in one batch as when they came one by one', async () => {
    // Booked again after giving the seat up: this reminder stays pending, the first stays canceled.
    const { classId, member, bookings } = scenario;
    const rebooked = await bookings.book(
      { bookingId: randomUUID(), classId, memberId: member.userId, bookedBy: member.userId },
      { commandId: randomUUID(), commandType: 'BookClass' },
    );
    await t.waiter.waitFor(rebooked.position!, 10_000);
    const outbox = (schema: string) =>
      t.db
        .knex(`${schema}.notifications`)
        .orderBy('id')
        .select('id', 'notification_type', 'recipient_id', 'status', 'scheduled_time', 'subject', 'body');
    const live = await outbox('public');
    expect(
      live.filter((n) => n.notification_type === 'reminder').map((n) => [n.status, n.scheduled_time]),
    ).toEqual(
      expect.arrayContaining([
        ['canceled', new Date('2030-03-17T03:30:00Z')],
        ['pending', new Date('2030-03-17T03:30:00Z')],
      ]),
    );

    // The whole log in one set-based batch, into a shadow schema with an empty outbox of its own.
    const shadow = new ShadowRebuild(t.db.knex, t.store, [notificationsProjection], 'one_batch', {
      batchSize: 100_000,
    });
    await shadow.create();
    try {
      await shadow.advanceTo();
      expect(shadow.failures).toEqual(new Map());
      expect(await outbox('one_batch')).toEqual(live);
    } finally {
      await shadow.drop();
    }
  });
});
