import { randomUUID } from 'node:crypto';
import { appendParams, PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { APPEND_TO_STREAM } from '../../../src/events/store/postgres/sql/appendToStream';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';
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
    await own.pool.query('CALL burn_xids($1)', [Number(boundary - current - 3n)]);
    const head = await store.headPosition();
    const streamId = `digits-${randomUUID()}`;
    for (let i = 0; i < 6; i++)
      await store.append(streamId, [{ id: randomUUID(), type: 'Tick', data: { i } }]);
    const read = await store.readAll({ after: head });
    expect(read[0]!.position.commit).toBeLessThan(boundary);
    expect(read[read.length - 1]!.position.commit).toBeGreaterThanOrEqual(boundary);
    expect(read.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await store.headPosition()).commit).toBe(read[5]!.position.commit);
  });
});
