import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { appendParams } from '../../../src/events/store/postgres/pendingAppend';
import { APPEND_TO_STREAM } from '../../../src/events/store/postgres/sql/appendToStream';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';
import { WrongExpectedRevisionError } from '../../../src/events/store/errors';
import { chainHash, contentDigest, GENESIS_HASH } from '../../../src/events/store/hashChain';
import { describeEventStoreContract } from './eventStoreContract';

let db: TestDatabase;

describeEventStoreContract(
  'postgres',
  async () => {
    db = await createTestDatabase();
    const store = new PostgresEventStore(db.pool, { pollIntervalMs: 200 });
    return {
      store,
      holdOpenAppend: async (streamId, events) => {
        const client = await db.pool.connect();
        await client.query('BEGIN');
        await client.query(APPEND_TO_STREAM, appendParams(streamId, 'any', events));
        return {
          commit: async () => {
            await client.query('COMMIT');
            client.release();
          },
        };
      },
      dispose: async () => {
        await store.close();
        await db.dispose();
      },
    };
  },
  { transactional: true },
);

describe('postgres event store — storage guarantees', () => {
  let own: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    own = await createTestDatabase();
    store = new PostgresEventStore(own.pool);
  });
  afterAll(async () => {
    await store.close();
    await own.dispose();
  });

  it('refuses UPDATE, DELETE and TRUNCATE on stored events', async () => {
    const streamId = `immutable-${randomUUID()}`;
    await store.append(streamId, [{ id: randomUUID(), type: 'Happened', data: { amount: '10.00' } }]);
    await expect(
      own.pool.query(`UPDATE events SET data = '{"amount":"0.00"}' WHERE stream_id = $1`, [streamId]),
    ).rejects.toThrow(/immutable/);
    await expect(own.pool.query('DELETE FROM events WHERE stream_id = $1', [streamId])).rejects.toThrow(
      /immutable/,
    );
    await expect(own.pool.query('TRUNCATE events')).rejects.toThrow(/immutable/);
    const [event] = await store.readStream(streamId);
    expect(event!.data).toEqual({ amount: '10.00' });
  });

  it('keeps a later reader from seeing an event behind one whose transaction is still open', async () => {
    const head = await store.headPosition();
    const client = await own.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        APPEND_TO_STREAM,
        appendParams(`open-${randomUUID()}`, 'any', [{ id: randomUUID(), type: 'Slow', data: {} }]),
      );
      const fastStream = `fast-${randomUUID()}`;
      await store.append(fastStream, [{ id: randomUUID(), type: 'Fast', data: {} }]);
      // The fast event is committed, but handing it out now would let a checkpoint pass the slow one.
      expect(await store.readAll({ after: head })).toEqual([]);
      await client.query('COMMIT');
      expect((await store.readAll({ after: head })).map((e) => e.type)).toEqual(['Slow', 'Fast']);
    } finally {
      client.release();
    }
  });

  it('keeps commit order when transaction ids cross a power of ten (compares numbers, not text)', async () => {
    await own.pool.query(`CREATE OR REPLACE PROCEDURE burn_xids(n int) LANGUAGE plpgsql AS $$
      BEGIN FOR i IN 1..n LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
    const current = BigInt((await own.pool.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x);
    const boundary = 10n ** BigInt(current.toString().length);
    // Transaction ids are the cluster's: other test files consume them concurrently, so stop
    // well short of the boundary and append until an event's commit lands past it.
    await own.pool.query('CALL burn_xids($1)', [Number(boundary - current - 200n)]);
    const head = await store.headPosition();
    const streamId = `digits-${randomUUID()}`;
    let appended = 0;
    let newest = head;
    while (newest.commit < boundary && appended < 1000) {
      newest = (await store.append(streamId, [{ id: randomUUID(), type: 'Tick', data: { i: appended } }]))
        .position;
      appended++;
    }
    const read = await store.readAll({ after: head, maxCount: appended });
    expect(read[0]!.position.commit).toBeLessThan(boundary);
    expect(read[read.length - 1]!.position.commit).toBeGreaterThanOrEqual(boundary);
    expect(read.map((e) => (e.data as { i: number }).i)).toEqual([...Array(appended).keys()]);
    expect((await store.headPosition()).commit).toBe(read[appended - 1]!.position.commit);
  });
});

describe('postgres event store — concurrent calls coalesced into one round trip', () => {
  let own: TestDatabase;
  let store: PostgresEventStore;
  const statements: string[] = [];
  beforeAll(async () => {
    own = await createTestDatabase();
    const query = own.pool.query.bind(own.pool) as (...args: unknown[]) => unknown;
    // Count what reaches the database: coalescing is a claim about round trips.
    (own.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const config = args[0] as { name?: string; text?: string } | string;
      statements.push(typeof config === 'string' ? config : (config.name ?? config.text ?? ''));
      return query(...args);
    };
    store = new PostgresEventStore(own.pool);
  });
  afterAll(async () => {
    await store.close();
    await own.dispose();
  });
  beforeEach(() => (statements.length = 0));

  const event = (type = 'Happened', data: unknown = { n: 1 }) => ({ id: randomUUID(), type, data });

  it('lands 100 concurrent appends to different streams with their own revisions, in a few statements', async () => {
    const streams = Array.from({ length: 100 }, (_, i) => `batched-${i}-${randomUUID()}`);
    await Promise.all(
      streams.map((s) => store.append(s, [event('First')], { expectedRevision: 'no_stream' })),
    );
    statements.length = 0;
    const results = await Promise.all(
      streams.map((s, i) =>
        store.append(s, [event('Second', { i }), event('Third', { i })], { expectedRevision: 0 }),
      ),
    );
    expect(results.map((r) => r.nextExpectedRevision)).toEqual(streams.map(() => 2));
    expect(statements.filter((s) => s.includes('append')).length).toBeLessThanOrEqual(10);
    const read = await Promise.all(streams.map((s) => store.readStream(s)));
    read.forEach((events, i) => {
      expect(events.map((e) => [e.type, e.revision])).toEqual([
        ['First', 0],
        ['Second', 1],
        ['Third', 2],
      ]);
      expect(events[1]!.data).toEqual({ i });
    });
    // A batch's positions are its own, in $all order, each answering its own append.
    const positions = results.map((r) => r.position);
    expect(new Set(positions.map((p) => `${p.commit}:${p.prepare}`)).size).toBe(100);
  });

  it('refuses only the append whose expected revision is stale; the rest of its batch lands', async () => {
    const streams = Array.from({ length: 20 }, () => `mixed-${randomUUID()}`);
    await Promise.all(streams.map((s) => store.append(s, [event()], { expectedRevision: 'no_stream' })));
    const outcomes = await Promise.allSettled(
      streams.map((s, i) => store.append(s, [event()], { expectedRevision: i === 7 ? 5 : 0 })),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect((outcomes[7] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    const lengths = await Promise.all(streams.map(async (s) => (await store.readStream(s)).length));
    expect(lengths).toEqual(streams.map((_, i) => (i === 7 ? 1 : 2)));
  });

  it('answers a retried append in a batch with its first outcome and writes it once', async () => {
    const retried = `retried-${randomUUID()}`;
    const events = [event('Once')];
    const first = await store.append(retried, events, { expectedRevision: 'any' });
    const others = Array.from({ length: 10 }, () => `other-${randomUUID()}`);
    const [again] = await Promise.all([
      store.append(retried, events, { expectedRevision: 'any' }),
      ...others.map((s) => store.append(s, [event()], { expectedRevision: 'no_stream' })),
    ]);
    expect(again).toEqual(first);
    expect(await store.readStream(retried)).toHaveLength(1);
    expect((await Promise.all(others.map((s) => store.readStream(s)))).every((e) => e.length === 1)).toBe(
      true,
    );
  });

  it('writes a group of streams in one statement, and groups arriving with plain appends in one batch', async () => {
    const [seats, placement] = [`seats-${randomUUID()}`, `placement-${randomUUID()}`];
    statements.length = 0;
    await store.appendToStreams([
      { streamId: seats, events: [event('Seat')], expectedRevision: 'no_stream' },
      { streamId: placement, events: [event('Placed')], expectedRevision: 'no_stream' },
    ]);
    expect(statements).toEqual(['arcfit_append_to_stream_groups']);

    const pairs = Array.from({ length: 20 }, () => [`seats-${randomUUID()}`, `placement-${randomUUID()}`]);
    const singles = Array.from({ length: 20 }, () => `single-${randomUUID()}`);
    statements.length = 0;
    await Promise.all([
      ...pairs.map(([a, b]) =>
        store.appendToStreams([
          { streamId: a!, events: [event('Seat')], expectedRevision: 'no_stream' },
          { streamId: b!, events: [event('Placed')], expectedRevision: 'no_stream' },
        ]),
      ),
      ...singles.map((s) => store.append(s, [event()], { expectedRevision: 'no_stream' })),
    ]);
    expect(statements.filter((s) => s.includes('append')).length).toBeLessThanOrEqual(4);
    const lengths = await Promise.all([...pairs.flat(), ...singles].map((s) => store.readStream(s)));
    expect(lengths.every((events) => events.length === 1)).toBe(true);
  });

  it('refuses only the group with a stale stream; the rest of its batch lands, that group writes nothing', async () => {
    const pairs = Array.from({ length: 10 }, () => [`seats-${randomUUID()}`, `placement-${randomUUID()}`]);
    await Promise.all(pairs.map(([a]) => store.append(a!, [event()])));
    const outcomes = await Promise.allSettled(
      pairs.map(([a, b], i) =>
        store.appendToStreams([
          { streamId: a!, events: [event('Seat')], expectedRevision: 0 },
          { streamId: b!, events: [event('Placed')], expectedRevision: i === 3 ? 0 : 'no_stream' },
        ]),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(pairs.map((_, i) => (i === 3 ? 'rejected' : 'fulfilled')));
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({
      name: 'WrongExpectedRevisionError',
      streamId: pairs[3]![1],
      expected: 0,
      actual: undefined,
    });
    const lengths = await Promise.all(
      pairs.map(async ([a, b]) => [(await store.readStream(a!)).length, (await store.readStream(b!)).length]),
    );
    expect(lengths).toEqual(pairs.map((_, i) => (i === 3 ? [1, 0] : [2, 1])));
  });

  it('reads many whole streams in one statement, each caller its own events', async () => {
    const streams = Array.from({ length: 50 }, () => `read-${randomUUID()}`);
    await Promise.all(
      streams.map((s, i) =>
        store.append(
          s,
          Array.from({ length: (i % 3) + 1 }, () => event()),
        ),
      ),
    );
    statements.length = 0;
    const [empty, ...read] = await Promise.all([
      store.readStream(`never-${randomUUID()}`),
      ...streams.map((s) => store.readStream(s)),
      store.readStream(streams[0]!),
    ]);
    expect(empty).toEqual([]);
    expect(read.slice(0, 50).map((events) => events.length)).toEqual(streams.map((_, i) => (i % 3) + 1));
    expect(read[50]).toEqual(read[0]);
    expect(read[50]).not.toBe(read[0]);
    expect(read.slice(0, 50).every((events, i) => events.every((e) => e.streamId === streams[i]))).toBe(true);
    expect(statements.length).toBeLessThanOrEqual(4);
  });

  it('reads a page of $all once for all the followers asking for the same page together', async () => {
    const stream = `followed-${randomUUID()}`;
    await store.append(stream, [event(), event(), event()]);
    const head = await store.headPosition();
    const [before] = await store.readAll({ maxCount: 1 });
    statements.length = 0;
    const pages = await Promise.all(
      Array.from({ length: 11 }, () => store.readAll({ after: before!.position, maxCount: 1000 })),
    );
    expect(statements.filter((s) => s.includes('read_all'))).toHaveLength(1);
    for (const page of pages) {
      expect(page[page.length - 1]!.position).toEqual(head);
      expect(page).toEqual(pages[0]);
    }
    expect(new Set(pages).size).toBe(11);
  });

  it('keeps every stream’s hash chain intact when its events were appended in batches', async () => {
    const streams = Array.from({ length: 30 }, () => `chained-${randomUUID()}`);
    for (let round = 0; round < 3; round++)
      await Promise.all(streams.map((s) => store.append(s, [event('Step', { round })])));
    for (const s of streams) {
      let previous = GENESIS_HASH;
      for (const e of await store.readStream(s)) {
        const digest = contentDigest({
          streamId: s,
          id: e.id,
          type: e.type,
          data: e.data,
          metadata: e.metadata,
        });
        previous = chainHash(previous, e.revision, digest);
        expect(e.hash).toBe(previous);
      }
    }
  });
});
