import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { EmailChannel, OutgoingEmail } from '../../src/commands/notifications/channels/channels';
import { logSmsChannel } from '../../src/commands/notifications/channels/smsChannels';
import { NotificationDispatcher } from '../../src/commands/notifications/dispatcher';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const logger = pino({ level: 'silent' });
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.dispose());

/** An email channel that records what it was asked to send, yielding between sends as a network would. */
const recordingChannel = (sent: OutgoingEmail[]): EmailChannel => ({
  send: async (email) => {
    await new Promise((resolve) => setImmediate(resolve));
    sent.push(email);
  },
});

describe('the outbox dispatcher on PostgreSQL', () => {
  it('several dispatchers share the work: every due email is sent exactly once', async () => {
    const count = 300;
    await db.knex.batchInsert(
      'notifications',
      Array.from({ length: count }, (_, i) => ({
        id: randomUUID(),
        notification_type: 'new_event',
        recipient_kind: 'member',
        recipient_id: randomUUID(),
        email: `m${i}@example.com`,
        subject: `notice ${i}`,
        body: 'b',
        scheduled_time: new Date(Date.now() - 1000),
      })),
      100,
    );
    const sentBy = Array.from({ length: 4 }, () => [] as OutgoingEmail[]);
    const dispatchers = sentBy.map(
      (sent) =>
        new NotificationDispatcher(
          db.knex,
          { email: recordingChannel(sent), sms: logSmsChannel(logger) },
          logger,
          {
            batchSize: 20,
          },
        ),
    );
    await Promise.all(dispatchers.map((d) => d.dispatchDue()));

    const all = sentBy.flat();
    expect(all).toHaveLength(count);
    expect(new Set(all.map((m) => m.messageId)).size).toBe(count);
    expect(sentBy.filter((s) => s.length > 0).length).toBeGreaterThan(1);
    const sentRows = await db
      .knex('notifications')
      .where({ status: 'sent' })
      .count<{ n: string }[]>('* as n');
    expect(Number(sentRows[0]?.n)).toBe(count);
  });

  it('holds email for quiet hours, and sends nothing once the notice is canceled meanwhile', async () => {
    const userId = randomUUID();
    const now = new Date();
    const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
    await db.knex('notification_preferences').insert({
      user_id: userId,
      quiet_start: (minute + 1440 - 60) % 1440,
      quiet_end: (minute + 120) % 1440,
      timezone: 'UTC',
    });
    const [notice] = await db
      .knex('notifications')
      .insert({
        id: randomUUID(),
        notification_type: 'reminder',
        recipient_kind: 'member',
        recipient_id: userId,
        user_id: userId,
        email: 'quiet@example.com',
        subject: 'Reminder',
        body: 'b',
        scheduled_time: new Date(now.getTime() - 1000),
      })
      .returning('id');
    const sent: OutgoingEmail[] = [];
    const at = (ms: number) =>
      new NotificationDispatcher(
        db.knex,
        { email: recordingChannel(sent), sms: logSmsChannel(logger) },
        logger,
        {
          clock: () => new Date(now.getTime() + ms),
        },
      );

    await at(0).dispatchDue();
    const deliveries = await db
      .knex('notification_deliveries')
      .where({ notification_id: notice.id })
      .orderBy('channel');
    expect(deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['email', 'pending'],
      ['in_app', 'sent'],
    ]);
    expect(deliveries[0].next_attempt_at.getTime()).toBeGreaterThan(now.getTime() + 119 * 60_000);

    // The booking is canceled during the night: the held email must never go out.
    await db.knex('notifications').where({ id: notice.id }).update({ status: 'canceled' });
    await at(3 * 3600_000).dispatchDue();
    expect(sent.filter((m) => m.to === 'quiet@example.com')).toEqual([]);
  });
});
