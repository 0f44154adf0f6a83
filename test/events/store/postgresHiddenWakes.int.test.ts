import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { appendParams } from '../../../src/events/store/postgres/pendingAppend';
import { APPEND_TO_STREAM } from '../../../src/events/store/postgres/sql/appendToStream';
import type { RecordedEvent } from '../../../src/events/store/eventStore';
import { comparePositions } from '../../../src/events/store/position';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';
import { watch } from './subscriptionWatch';

/**
 * A subscriber whose next event is committed but hidden behind an older transaction still open
 * (READ_ALL hands out nothing past the snapshot's xmin) used to read `$all` again at every append
 * this process made, though none of them could end the hiding transaction: about half a wasted
 * statement per booking under a storm. It now re-reads when an append older than what it waits
 * for ends, on its retry timer (at most HIDDEN_RETRY_MAX_MS apart), or on another process's NOTIFY.
 */

/** The timer alone: reads at 1, 2, 4, 8 ms after the first, then one per 16 ms (HIDDEN_RETRY_MAX_MS). */
const timerReadsWithin = (ms: number) => 6 + Math.ceil(ms / 16);

/** Appends made while hidden: the old code read about once per one or two of them. */
const APPENDS = 100;

const event = (type: string, data: unknown = {}) => ({ id: randomUUID(), type, data });
const types = (events: RecordedEvent[]) =>
  events.map((e) => `${e.type}${(e.data as { i?: number }).i ?? ''}`);

const expectInOrderOnce = (events: RecordedEvent[]) => {
  for (let k = 1; k < events.length; k++)
    expect(comparePositions(events[k - 1]!.position, events[k]!.position)).toBeLessThan(0);
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
};

describe('postgres event store — a subscriber hidden behind an older open transaction', () => {
  let own: TestDatabase;
  let store: PostgresEventStore;
  const statements: string[] = [];
  /** When set, the append to this stream runs in a transaction held open until `release` resolves. */
  let held: { streamId: string; release: Promise<void> } | undefined;

  beforeAll(async () => {
    own = await createTestDatabase();
    const query = own.pool.query.bind(own.pool) as (...args: unknown[]) => Promise<unknown>;
    (own.pool as unknown as { query: (...args: unknown[]) => unknown }).query = async (
      ...args: unknown[]
    ) => {
      const config = args[0] as { name?: string; text?: string; values?: unknown[] } | string;
      statements.push(typeof config === 'string' ? config : (config.name ?? config.text ?? ''));
      if (
        typeof config === 'object' &&
        config.text === APPEND_TO_STREAM &&
        config.values?.[0] === held?.streamId
      )
        return holdOpen(config.values!, held!.release);
      return query(...args);
    };
    store = new PostgresEventStore(own.pool, { coalesce: false });
  });
  afterAll(async () => {
    await store.close();
    await own.dispose();
  });

  /** An in-process append whose transaction (and so its transaction id) stays open a while. */
  const holdOpen = async (values: unknown[], release: Promise<void>) => {
    const client: pg.PoolClient = await own.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await client.query(APPEND_TO_STREAM, values);
      await release;
      await client.query('COMMIT');
      return result;
    } finally {
      client.release();
    }
  };

  const pageReads = () => statements.filter((s) => s === 'arcfit_read_all').length;

  /** A live subscription from the head, proven live by delivering one event. */
  const live = async () => {
    const subscription = store.subscribeToAll({ after: await store.headPosition() });
    const seen = watch(subscription);
    await store.append(`first-${randomUUID()}`, [event('First')]);
    await seen.until((r) => r.length === 1);
    return { subscription, seen };
  };

  it('reads on its timer, not at every append made while hidden, and delivers everything once the hider commits', async () => {
    const { subscription, seen } = await live();
    const hider = await own.pool.connect();
    let committed = false;
    try {
      await hider.query('BEGIN');
      await hider.query(APPEND_TO_STREAM, appendParams(`slow-${randomUUID()}`, 'any', [event('Slow')]));
      const readsBefore = pageReads();
      const started = performance.now();
      for (let i = 0; i < APPENDS; i++) await store.append(`fast-${randomUUID()}`, [event('Fast', { i })]);
      const elapsed = performance.now() - started;
      const reads = pageReads() - readsBefore;
      expect(seen.received).toHaveLength(1);
      // The old code read about once per append it was not already reading through (~50 of 100).
      expect(reads).toBeLessThanOrEqual(timerReadsWithin(elapsed));
      await hider.query('COMMIT');
      committed = true;
    } finally {
      // A failed expectation must not hand the pool a connection still inside the transaction.
      if (!committed) await hider.query('ROLLBACK');
      hider.release();
    }
    const commitAt = performance.now();
    await seen.until((r) => r.length === APPENDS + 2);
    // Well inside the 1 s poll interval: the retry timer found it, not the poll.
    expect(performance.now() - commitAt).toBeLessThan(500);
    expect(types(seen.received)).toEqual([
      'First',
      'Slow',
      ...Array.from({ length: APPENDS }, (_, i) => `Fast${i}`),
    ]);
    expectInOrderOnce(seen.received);
    await subscription.close();
  });

  it('reads again as soon as an older in-process append ends, and delivers it first', async () => {
    const { subscription, seen } = await live();
    let release!: () => void;
    const slowStream = `held-${randomUUID()}`;
    held = { streamId: slowStream, release: new Promise<void>((r) => (release = r)) };
    // Its transaction id is taken (the streams row) before the faster appends begin.
    const slow = store.append(slowStream, [event('Slow')]);
    try {
      await waitFor(async () => (await openTransactions()) === 1);
      const readsBefore = pageReads();
      const started = performance.now();
      for (let i = 0; i < APPENDS; i++) await store.append(`fast-${randomUUID()}`, [event('Fast', { i })]);
      const elapsed = performance.now() - started;
      expect(seen.received).toHaveLength(1);
      expect(pageReads() - readsBefore).toBeLessThanOrEqual(timerReadsWithin(elapsed));
    } finally {
      release();
      await slow;
      held = undefined;
    }
    await seen.until((r) => r.length === APPENDS + 2);
    expect(types(seen.received)).toEqual([
      'First',
      'Slow',
      ...Array.from({ length: APPENDS }, (_, i) => `Fast${i}`),
    ]);
    expectInOrderOnce(seen.received);
    await subscription.close();
  });

  /** Transactions of this database holding a transaction id, other than the asker's. */
  const openTransactions = async () =>
    Number(
      (
        await own.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`,
        )
      ).rows[0]!.n,
    );

  const waitFor = async (condition: () => Promise<boolean>) => {
    for (let tries = 0; !(await condition()); tries++)
      if (tries > 1000) throw new Error('condition not met after 1000 looks');
  };
});
