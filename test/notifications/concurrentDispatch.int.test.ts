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

describe('several dispatchers on one outbox', () => {
  it('share the work: every due email is sent exactly once', async () => {
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
});
