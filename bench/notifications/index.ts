/**
 * Outbox dispatch throughput: our dispatcher (split into deliveries, claim with a lease, send,
 * record the outcome under the lease) with 1 and 4 instances sharing one outbox, beside (a) a
 * naive outbox loop measured in the same run on the same embedded PostgreSQL — select a pending
 * row, send, mark it sent; no lease, no retries, one worker (it cannot run two without
 * double-sending). The channel is an in-memory email channel, so this measures the outbox's own
 * cost, not an SMTP server's.
 *
 *   npm run bench:notifications
 *
 * BENCH_NOTIFICATIONS (5000)  due notifications per contender
 * BENCH_ROUNDS (1)            repeat; medians reported
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { EmailChannel } from '../../src/commands/notifications/channels/channels';
import { logSmsChannel } from '../../src/commands/notifications/channels/smsChannels';
import { NotificationDispatcher } from '../../src/commands/notifications/dispatcher';
import { openDatabase, type Database } from '../../src/platform/database';
import { migrate } from '../../src/platform/migrations';
import { startBenchServer } from '../support/postgresServer';

const COUNT = Number(process.env.BENCH_NOTIFICATIONS ?? 5000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const logger = pino({ level: 'silent' });
const RESULTS = join(__dirname, '..', 'results', 'notifications-latest.json');

const countingChannel = (sent: Set<string>): EmailChannel => ({
  send: async (email) => {
    if (sent.has(email.messageId)) throw new Error(`sent twice: ${email.messageId}`);
    sent.add(email.messageId);
  },
});

const fill = async (db: Database) => {
  await db.knex.raw('TRUNCATE notification_deliveries, notifications');
  const past = new Date(Date.now() - 1000);
  await db.knex.batchInsert(
    'notifications',
    Array.from({ length: COUNT }, (_, i) => ({
      id: randomUUID(),
      notification_type: 'new_event',
      recipient_kind: 'member',
      recipient_id: randomUUID(),
      email: `m${i}@example.com`,
      subject: `New class ${i}`,
      body: 'New class available: Yoga on Mon, 4 Mar 2030, 7:30 AM (Asia/Kolkata).',
      scheduled_time: past,
    })),
    500,
  );
};

/** (a): the smallest outbox loop that works with one worker. */
const naiveOutbox = async (db: Database, channel: EmailChannel) => {
  for (;;) {
    const row = await db
      .knex('notifications')
      .where({ status: 'pending' })
      .orderBy('scheduled_time')
      .first('id', 'email', 'subject', 'body');
    if (!row) return;
    await channel.send({ to: row.email, subject: row.subject, text: row.body, messageId: row.id });
    await db
      .knex('notifications')
      .where({ id: row.id })
      .update({ status: 'sent', updated_at: db.knex.fn.now() });
  }
};

const timed = async (run: () => Promise<void>) => {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e9;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const main = async () => {
  const server = await startBenchServer({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
  const db = openDatabase(await server.createDatabase('bench_notifications'), { maxConnections: 20 });
  try {
    await migrate(db.knex);
    const contenders: Record<string, () => Promise<Set<string>>> = {
      '(a) naive outbox, 1 worker': async () => {
        const sent = new Set<string>();
        await naiveOutbox(db, countingChannel(sent));
        return sent;
      },
      'ours, 1 dispatcher': async () => {
        const sent = new Set<string>();
        await new NotificationDispatcher(
          db.knex,
          { email: countingChannel(sent), sms: logSmsChannel(logger) },
          logger,
        ).dispatchDue();
        return sent;
      },
      'ours, 4 dispatchers': async () => {
        const sent = new Set<string>();
        await Promise.all(
          Array.from({ length: 4 }, () =>
            new NotificationDispatcher(
              db.knex,
              { email: countingChannel(sent), sms: logSmsChannel(logger) },
              logger,
              {
                batchSize: 50,
              },
            ).dispatchDue(),
          ),
        );
        return sent;
      },
    };
    const seconds: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(contenders)) {
        await fill(db);
        let sent = new Set<string>();
        seconds[name]!.push(await timed(async () => void (sent = await run())));
        if (sent.size !== COUNT) throw new Error(`${name} sent ${sent.size} of ${COUNT}`);
      }
    }
    const rate = (name: string) => COUNT / median(seconds[name]!);
    const baseline = rate('(a) naive outbox, 1 worker');
    const rows = Object.keys(contenders).map((name) => ({
      contender: name,
      per_second: Math.round(rate(name)),
      ratio_to_a: Number((rate(name) / baseline).toFixed(2)),
    }));
    console.log(
      `\n${COUNT} due notifications, ${ROUNDS} round(s), ${cpus().length} cores; every message sent exactly once\n`,
    );
    console.table(rows);
    mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
    writeFileSync(
      RESULTS,
      `${JSON.stringify({ date: new Date().toISOString(), notifications: COUNT, rounds: ROUNDS, cores: cpus().length, rows }, null, 2)}\n`,
    );
  } finally {
    await db.close();
    await server.stop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
