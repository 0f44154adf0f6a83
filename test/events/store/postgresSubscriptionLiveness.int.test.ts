// The postgres subscription polls `$all`; a page read that never answers (a connection that hangs
// without an error) would leave it waiting forever. It is noticed and reopened from the last
// event delivered, so a read model does not stall.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { formatPosition } from '../../../src/events/store/position';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';
import { resubscribesOf, watch } from './subscriptionWatch';

/** The store's pool, except that once armed, the next `$all` page read never answers. */
const poolThatCanHang = (pool: pg.Pool) => {
  let armed = false;
  const hanging = new Proxy(pool, {
    get(target, property) {
      if (property === 'query') {
        return (query: unknown, ...rest: unknown[]) => {
          if (armed && (query as { name?: string }).name === 'arcfit_read_all') {
            armed = false;
            return new Promise(() => undefined);
          }
          return (target.query as (...args: unknown[]) => unknown).call(target, query, ...rest);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { pool: hanging, hangNextPageRead: () => (armed = true) };
};

describe('postgres event store — a silent subscription is reopened', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let hangNextPageRead: () => void;
  const warnings: Record<string, unknown>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const hanging = poolThatCanHang(db.pool);
    hangNextPageRead = hanging.hangNextPageRead;
    store = new PostgresEventStore(hanging.pool, {
      pollIntervalMs: 200,
      livenessIntervalMs: 100,
      logger: { warn: (fields) => warnings.push(fields as Record<string, unknown>) },
    });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  const counted = (i: number) => ({ id: randomUUID(), type: 'Counted', data: { i } });

  it('resubscribes from the last delivered position when a page read hangs, and receives every later event once', async () => {
    const before = await resubscribesOf('postgres');
    const id = `silent-${randomUUID()}`;
    const subscription = store.subscribeToAll({ after: await store.headPosition() });
    const { received, until } = watch(subscription);
    await store.append(id, [counted(0)]);
    await until((r) => r.length === 1);

    hangNextPageRead();
    await store.append(id, [counted(1)]);
    await store.append(id, [counted(2), counted(3)]);
    await until((r) => r.length >= 4);
    await store.append(id, [counted(4)]);
    await until((r) => r.length >= 5);
    await subscription.close();

    expect(received.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
    expect(await resubscribesOf('postgres')).toBeGreaterThan(before);
    expect(warnings[0]).toMatchObject({
      store: 'postgres',
      lastDelivered: formatPosition(received[0]!.position),
    });
  });
});
