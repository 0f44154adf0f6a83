/**
 * Outbox dispatch throughput: our dispatcher (split into deliveries, claim with a lease, send,
 * record the outcome under the lease) with 1 and 4 instances sharing one outbox, beside (a) a
 * naive outbox loop measured in the same run on the same embedded PostgreSQL — select a pending
 * row, send, mark it sent; no lease, no retries, one worker (it cannot run two without
 * double-sending). The channel is in memory: first instant (the outbox's own cost), then
 * answering after BENCH_LATENCY_MS (a provider's round trip), where overlapping sends matter.
 *
 *   npm run bench:notifications
 *
 * BENCH_NOTIFICATIONS (5000)  due notifications per contender (a fifth of it with latency)
 * BENCH_LATENCY_MS (5)        the provider's answer time in the second scenario
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
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5);
const logger = pino({ level: 'silent' });
const RESULTS = join(__dirname, '..', 'results', 'notifications-latest.json');

const countingChannel = (sent: Set<string>, latencyMs: number): EmailChannel => ({
  send: async (email) => {
    if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (sent.has(email.messageId)) throw new Error(`sent twice: ${email.messageId}`);
    sent.add(email.messageId);
  },
});

const fill = async (db: Database, count: number) => {
  await db.knex.raw('TRUNCATE notification_deliveries, notifications');
  const past = new Date(Date.now() - 1000);
  await db.knex.batchInsert(
    'notifications',
    Array.from({ length: count }, (_, i) => ({
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

type Contender = (latencyMs: number) => Promise<Set<string>>;

const main = async () => {
  const server = await startBenchServer({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
  const db = openDatabase(await server.createDatabase('bench_notifications'), { maxConnections: 20 });
  const ours = (sent: Set<string>, latencyMs: number, batchSize?: number) =>
    new NotificationDispatcher(
      db.knex,
      { email: countingChannel(sent, latencyMs), sms: logSmsChannel(logger) },
      logger,
      {
        batchSize,
      },
    );
  try {
    await migrate(db.knex);
    const contenders: Record<string, Contender> = {
      '(a) naive outbox, 1 worker': async (latencyMs) => {
        const sent = new Set<string>();
        await naiveOutbox(db, countingChannel(sent, latencyMs));
        return sent;
      },
      'ours, 1 dispatcher': async (latencyMs) => {
        const sent = new Set<string>();
        await ours(sent, latencyMs).dispatchDue();
        return sent;
      },
      'ours, 4 dispatchers': async (latencyMs) => {
        const sent = new Set<string>();
        await Promise.all(Array.from({ length: 4 }, () => ours(sent, latencyMs, 50).dispatchDue()));
        return sent;
      },
    };
    const scenarios = [
      { name: 'instant channel', latencyMs: 0, count: COUNT },
      { name: `channel answering in ${LATENCY_MS} ms`, latencyMs: LATENCY_MS, count: Math.ceil(COUNT / 5) },
    ];
    const results = [];
    for (const scenario of scenarios) {
      const seconds: Record<string, number[]> = Object.fromEntries(
        Object.keys(contenders).map((k) => [k, []]),
      );
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, run] of Object.entries(contenders)) {
          await fill(db, scenario.count);
          let sent = new Set<string>();
          seconds[name]!.push(await timed(async () => void (sent = await run(scenario.latencyMs))));
          if (sent.size !== scenario.count) throw new Error(`${name} sent ${sent.size} of ${scenario.count}`);
        }
      }
      const rate = (name: string) => scenario.count / median(seconds[name]!);
      const baseline = rate('(a) naive outbox, 1 worker');
      const rows = Object.keys(contenders).map((name) => ({
        contender: name,
        per_second: Math.round(rate(name)),
        ratio_to_a: Number((rate(name) / baseline).toFixed(2)),
      }));
      console.log(`\n${scenario.name}: ${scenario.count} due notifications, ${ROUNDS} round(s), medians`);
      console.table(rows);
      results.push({ ...scenario, rows });
    }
    console.log(`${cpus().length} cores; every contender sent every message exactly once in every round`);
    mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
    writeFileSync(
      RESULTS,
      `${JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, cores: cpus().length, scenarios: results }, null, 2)}\n`,
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
