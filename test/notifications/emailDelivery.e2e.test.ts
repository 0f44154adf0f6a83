import { parsePosition } from '../../src/events/store/position';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import request from 'supertest';
import pino from 'pino';
import { NotificationDispatcher, type DispatcherOptions } from '../../src/commands/notifications/dispatcher';
import { smtpEmailChannel } from '../../src/commands/notifications/channels/smtpEmailChannel';
import { logSmsChannel } from '../../src/commands/notifications/channels/smsChannels';
import { messageIdFor } from '../../src/events/notifications/notificationIds';
import { giveActiveSubscription } from '../support/subscriptions';
import { adminWithSociety, signUp, superAdmin, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';
import { startSmtpInbox, type SmtpInbox } from './support/smtpInbox';

const logger = pino({ level: 'silent' });
const RETRY_BASE_MS = 60_000;
const LEASE_MS = 30_000;

let t: TestApp;
let inbox: SmtpInbox;
let root: Actor;
let admin: Actor;
let societyId: string;
/** Moves the dispatchers' clock forward past backoffs and leases, instead of sleeping. */
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

const dispatcher = (options: DispatcherOptions = {}) => {
  const email = smtpEmailChannel({ smtpUrl: inbox.url, from: 'ArcFit <no-reply@arcfit.app>', logger });
  return new NotificationDispatcher(t.db.knex, { email, sms: logSmsChannel(logger) }, logger, {
    retryBaseMs: RETRY_BASE_MS,
    leaseMs: LEASE_MS,
    clock,
    ...options,
  });
};

/** A member of the society, approved by its admin (the approval is a notice of its own). */
const approvedMember = async () => {
  const member = await signUp(t, 'member', { society_id: societyId });
  const res = await request(t.app)
    .post(`/api/v1/members/${member.userId}/status`)
    .set(...admin.auth)
    .send({ status: 'approved' });
  expect(res.status).toBe(200);
  return member;
};

const deliveryOf = async (memberId: string, type: string, channel: string) =>
  t.db
    .knex('notification_deliveries as d')
    .join('notifications as n', 'n.id', 'd.notification_id')
    .where({ 'n.member_id': memberId, 'n.notification_type': type, 'd.channel': channel })
    .select('d.*', 'n.status as notification_status', 'n.id as notification_id')
    .first();

beforeAll(async () => {
  t = await startTestApp();
  inbox = await startSmtpInbox();
  root = await superAdmin(t);
  ({ admin, societyId } = await adminWithSociety(t));
});
afterAll(async () => {
  await inbox.close();
  await t.dispose();
});
beforeEach(async () => {
  // Each test starts with nothing due: what earlier steps queued is sent with a healthy server.
  inbox.refuse(0);
  offsetMs += 10 * 60_000;
  await dispatcher().dispatchDue();
});

describe('email notifications over SMTP', () => {
  it('tells approved members about a new class by email, with its name and local time', async () => {
    const member = await approvedMember();
    const res = await request(t.app)
      .post('/api/v1/events')
      .set(...admin.auth)
      .send({
        name: 'Sunrise Yoga',
        society_id: societyId,
        class_type: 'yoga',
        date: '2030-03-04',
        start_time: '07:30 AM',
        end_time: '08:30 AM',
      });
    expect(res.status).toBe(201);

    const summary = await dispatcher().dispatchDue();
    expect(summary.sent).toBeGreaterThanOrEqual(2);

    const mail = inbox.inboxOf(member.email);
    expect(mail.map((m) => m.subject)).toEqual(
      expect.arrayContaining(['Your membership is approved', 'New class: Sunrise Yoga']),
    );
    const newClass = mail.find((m) => m.subject === 'New class: Sunrise Yoga')!;
    // 07:30 in the society's zone (Asia/Kolkata by default), not the server's or UTC (02:00).
    expect(newClass.text).toContain('Sunrise Yoga on Mon, 4 Mar 2030, 7:30 AM (Asia/Kolkata)');
    const delivery = await deliveryOf(member.userId, 'new_event', 'email');
    expect(newClass.messageId).toBe(messageIdFor(delivery.notification_id, 'email'));
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1, notification_status: 'sent' });
  });

  it('books a class and finds the confirmation in the inbox, with the class name and local time', async () => {
    const member = await approvedMember();
    const created = await request(t.app)
      .post('/api/v1/events')
      .set(...admin.auth)
      .send({
        name: 'Evening Zumba',
        society_id: societyId,
        class_type: 'dance',
        date: '2030-03-05',
        start_time: '6:00 PM',
        end_time: '7:00 PM',
      });
    expect(created.status).toBe(201);
    // The whole way a member goes: subscribe and pay (simulated gateway), then book over HTTP.
    await giveActiveSubscription(t, { adminToken: admin.token, memberId: member.userId, societyId });
    const booked = await request(t.app)
      .post('/api/v1/bookings')
      .set(...member.auth)
      .send({ event_id: created.body.id });
    expect(booked.status).toBe(201);
    expect(booked.body.status).toBe('confirmed');
    // A booking answer waits for the booking read models only; the outbox is awaited explicitly.
    const bookedAt = parsePosition(String(booked.headers['arcfit-position']))!;
    expect(bookedAt).toBeDefined();
    expect(await t.waiter.waitFor(bookedAt, 10_000)).toBe(true);

    await dispatcher().dispatchDue();

    const confirmation = inbox.inboxOf(member.email).filter((m) => m.subject === 'Booked: Evening Zumba');
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]!.text).toBe(
      'Your booking for Evening Zumba on Tue, 5 Mar 2030, 6:00 PM (Asia/Kolkata) is confirmed.',
    );
    expect(inbox.inboxOf(member.email).map((m) => m.subject)).toContain('Payment received');
    // …and the reminder waits for 24 h before the class (18:00 IST = 12:30 UTC, the day before).
    const reminder = await t.db
      .knex('notifications')
      .where({ member_id: member.userId, event_id: created.body.id, notification_type: 'reminder' })
      .first();
    expect(reminder).toMatchObject({ status: 'pending', scheduled_time: new Date('2030-03-04T12:30:00Z') });
  });

  it('retries with backoff when SMTP refuses twice, then delivers once: attempts = 3', async () => {
    inbox.refuse(2);
    const member = await approvedMember();
    const send = dispatcher();

    await send.dispatchDue();
    let delivery = await deliveryOf(member.userId, 'member_approved', 'email');
    expect(delivery).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: expect.stringMatching(/451/),
    });
    // Not due again until the backoff (1× base) has passed.
    expect((await send.dispatchDue()).sent).toBe(0);

    offsetMs += RETRY_BASE_MS;
    await send.dispatchDue();
    expect(await deliveryOf(member.userId, 'member_approved', 'email')).toMatchObject({ attempts: 2 });
    offsetMs += 2 * RETRY_BASE_MS;
    await send.dispatchDue();

    delivery = await deliveryOf(member.userId, 'member_approved', 'email');
    expect(delivery).toMatchObject({ status: 'sent', attempts: 3, notification_status: 'sent' });
    expect(inbox.inboxOf(member.email)).toHaveLength(1);
    expect(inbox.refused).toBeGreaterThanOrEqual(2);
  });

  it('gives up after 3 refused attempts: failed, and the super admins are alerted', async () => {
    inbox.refuseAlways();
    const member = await approvedMember();
    const send = dispatcher();
    await send.dispatchDue();
    offsetMs += RETRY_BASE_MS;
    await send.dispatchDue();
    offsetMs += 2 * RETRY_BASE_MS;
    await send.dispatchDue();

    const delivery = await deliveryOf(member.userId, 'member_approved', 'email');
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, notification_status: 'failed' });
    const alerts = await t.db
      .knex('notifications')
      .where({ notification_type: 'operations_alert', user_id: root.userId });
    expect(alerts).toHaveLength(1);
    expect(alerts[0].body).toContain(delivery.notification_id);

    // The server recovers: the alert goes out, the failed notice is not tried a 4th time.
    inbox.refuse(0);
    offsetMs += 4 * RETRY_BASE_MS;
    await send.dispatchDue();
    expect(await deliveryOf(member.userId, 'member_approved', 'email')).toMatchObject({ attempts: 3 });
    expect(inbox.inboxOf(member.email)).toHaveLength(0);
    expect(inbox.inboxOf(root.email).map((m) => m.subject)).toEqual([
      'Notification delivery failed: member_approved by email',
    ]);
  });
});

describe('a dispatcher process killed by PID mid-dispatch', () => {
  /** Starts a dispatcher process that stops at `point` for this member's email; resolves once it got there. */
  const dispatcherProcess = async (point: 'beforeSend' | 'afterSend', email: string) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/notifications/support/dispatchChild.ts'],
      {
        env: {
          ...process.env,
          DATABASE_URL: t.db.url,
          SMTP_URL: inbox.url,
          CRASH_AT: point,
          CRASH_EMAIL: email,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    expect(line.split(' ')[0]).toBe(point);
    return child;
  };

  it.each(['beforeSend', 'afterSend'] as const)(
    'killed at %s: nothing is lost, and any repeat carries the same Message-ID',
    async (point) => {
      const member = await approvedMember();
      const child = await dispatcherProcess(point, member.email);
      process.kill(child.pid!, 'SIGKILL');
      await once(child, 'exit');
      expect(inbox.inboxOf(member.email)).toHaveLength(point === 'afterSend' ? 1 : 0);

      offsetMs += LEASE_MS + 60_000; // the dead process's lease (60 s by default) has run out
      await dispatcher().dispatchDue();

      const delivery = await deliveryOf(member.userId, 'member_approved', 'email');
      expect(delivery).toMatchObject({ status: 'sent', attempts: 2 });
      const copies = inbox.inboxOf(member.email);
      expect(copies.map((c) => c.messageId)).toEqual(
        (point === 'afterSend' ? [1, 2] : [1]).map(() => messageIdFor(delivery.notification_id, 'email')),
      );
    },
  );
});

describe('a dispatcher that dies mid-dispatch', () => {
  class Crash extends Error {}
  const crashOn = (memberEmail: string) => (delivery: { email: string | null; channel: string }) => {
    if (delivery.channel === 'email' && delivery.email === memberEmail) throw new Crash('killed');
  };

  it('before the send: nothing is lost, another dispatcher sends it once the lease runs out', async () => {
    const member = await approvedMember();
    await expect(dispatcher({ hooks: { beforeSend: crashOn(member.email) } }).dispatchDue()).rejects.toThrow(
      Crash,
    );
    expect(inbox.inboxOf(member.email)).toHaveLength(0);

    const survivor = dispatcher();
    await survivor.dispatchDue(); // the lease still holds: not taken from the dead one yet
    expect(inbox.inboxOf(member.email)).toHaveLength(0);
    offsetMs += LEASE_MS;
    await survivor.dispatchDue();

    expect(inbox.inboxOf(member.email)).toHaveLength(1);
    expect(await deliveryOf(member.userId, 'member_approved', 'email')).toMatchObject({ status: 'sent' });
  });

  it('after the send, before the record: sent again with the same Message-ID, and recorded once', async () => {
    const member = await approvedMember();
    await expect(dispatcher({ hooks: { afterSend: crashOn(member.email) } }).dispatchDue()).rejects.toThrow(
      Crash,
    );
    expect(inbox.inboxOf(member.email)).toHaveLength(1);
    expect(await deliveryOf(member.userId, 'member_approved', 'email')).toMatchObject({ status: 'pending' });

    offsetMs += LEASE_MS;
    await dispatcher().dispatchDue();

    const copies = inbox.inboxOf(member.email);
    expect(copies).toHaveLength(2);
    const delivery = await deliveryOf(member.userId, 'member_approved', 'email');
    expect(delivery).toMatchObject({ status: 'sent', attempts: 2 });
    expect(copies.map((c) => c.messageId)).toEqual([
      messageIdFor(delivery.notification_id, 'email'),
      messageIdFor(delivery.notification_id, 'email'),
    ]);
  });
});
