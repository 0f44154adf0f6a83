import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { appendParams } from '../../../src/events/store/postgres/pendingAppend';
import { APPEND_TO_STREAM } from '../../../src/events/store/postgres/sql/appendToStream';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

/**
 * Readers of `$all` wait for running appends only (appendMarker.ts): another open write — a read
 * model's batch, an idempotency key — no longer hides the events appended while it runs.
 */
let db: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  await db.pool.query('CREATE TABLE side_writes (n int)');
});
afterAll(async () => {
  await store.close();
  await db.dispose();
});

const tick = (type: string) => [{ id: randomUUID(), type, data: {} }];

/** A transaction on its own connection, left open until `end` runs. */
const open = async (work: (client: PoolClient) => Promise<unknown>) => {
  const client = await db.pool.connect();
  await client.query('BEGIN');
  await work(client);
  return {
    end: async (how: 'COMMIT' | 'ROLLBACK' = 'COMMIT') => {
      await client.query(how);
      client.release();
    },
  };
};

it('hands out events appended while a transaction that appends nothing is still open', async () => {
  const head = await store.headPosition();
  const other = await open((client) => client.query('INSERT INTO side_writes VALUES (1)'));
  try {
    const appended = await store.append(`fast-${randomUUID()}`, tick('Fast'));
    const read = await store.readAll({ after: head });
    expect(read.map((e) => e.type)).toEqual(['Fast']);
    expect(await store.headPosition()).toEqual(appended.position);
  } finally {
    await other.end();
  }
});

it('still hides events behind an append whose transaction is open, then hands out both in order', async () => {
  const head = await store.headPosition();
  const slow = await open((client) =>
    client.query(APPEND_TO_STREAM, appendParams(`slow-${randomUUID()}`, 'any', tick('Slow'))),
  );
  try {
    await store.append(`fast-${randomUUID()}`, tick('Fast'));
    expect(await store.readAll({ after: head })).toEqual([]);
  } finally {
    await slow.end();
  }
  expect((await store.readAll({ after: head })).map((e) => e.type)).toEqual(['Slow', 'Fast']);
});

it('refuses an append that is not the first write of its transaction, and writes nothing', async () => {
  const streamId = `late-${randomUUID()}`;
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO side_writes VALUES (2)');
    await expect(
      client.query(APPEND_TO_STREAM, appendParams(streamId, 'any', tick('Late'))),
    ).rejects.toMatchObject({
      code: 'ARC02',
    });
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
  expect(await store.readStream(streamId)).toEqual([]);
});

it('lets one transaction append several times', async () => {
  const streamId = `twice-${randomUUID()}`;
  const twice = await open(async (client) => {
    await client.query(APPEND_TO_STREAM, appendParams(streamId, 'no_stream', tick('First')));
    await client.query(APPEND_TO_STREAM, appendParams(streamId, 0, tick('Second')));
  });
  await twice.end();
  expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['First', 'Second']);
});
