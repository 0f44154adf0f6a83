import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import type { AllSubscription, RecordedEvent } from '../../../src/events/store/eventStore';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

// NOTIFY on the events channel is for subscribers in other processes; this process's own are
// woken in memory. A process alone sends none; another process listening still hears each append.
let db: TestDatabase;
let notifies = 0;
const query = pg.Client.prototype.query;
beforeAll(async () => {
  db = await createTestDatabase({ maxConnections: 10 });
  pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    if (text.includes('pg_notify')) notifies++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
});
afterAll(async () => {
  pg.Client.prototype.query = query;
  await db.dispose();
});

const event = () => ({ id: randomUUID(), type: 'Happened', data: {} });

/** The next `count` events the subscription delivers of `streamId`. */
const nextOf = async (subscription: AllSubscription, streamId: string, count: number) => {
  const seen: RecordedEvent[] = [];
  for await (const e of subscription) {
    if (e.streamId === streamId) seen.push(e);
    if (seen.length === count) return seen;
  }
  return seen;
};

/** Until PostgreSQL shows `count` sessions listening on the events channel (their last statement). */
const listenersConnected = async (count: number) => {
  for (;;) {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND query = 'LISTEN arcfit_events'`,
    );
    if (rows[0]!.n >= count) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
};

describe('postgres event store — NOTIFY only when another process listens', () => {
  it('a store whose subscribers are all in its own process sends no NOTIFY for its appends, and they see every one', async () => {
    const store = new PostgresEventStore(db.pool, { pollIntervalMs: 10_000 });
    try {
      const head = await store.headPosition();
      const subscription = store.subscribeToAll({ after: head });
      const streamId = `alone-${randomUUID()}`;
      const delivered = nextOf(subscription, streamId, 20);
      await listenersConnected(1);
      const before = notifies;
      for (let i = 0; i < 20; i++) await store.append(streamId, [event()]);
      expect((await delivered).map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(notifies - before).toBe(0);
      await subscription.close();
    } finally {
      await store.close();
    }
  });

  it('another process’s subscriber is woken by NOTIFY at each append, long before its poll interval', async () => {
    const reader = new PostgresEventStore(db.pool, { pollIntervalMs: 30_000 });
    const writer = new PostgresEventStore(db.pool);
    try {
      const subscription = reader.subscribeToAll({ after: await reader.headPosition() });
      const streamId = `across-${randomUUID()}`;
      const delivered = nextOf(subscription, streamId, 3);
      await listenersConnected(1);
      const started = Date.now();
      for (let i = 0; i < 3; i++) await writer.append(streamId, [event()]);
      expect((await delivered).map((e) => e.revision)).toEqual([0, 1, 2]);
      // Three wake-ups by poll alone would take 90 s.
      expect(Date.now() - started).toBeLessThan(5_000);
      await subscription.close();
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
