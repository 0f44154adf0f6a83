import { randomUUID } from 'node:crypto';
import { createIdempotencyKeys, type KeyedRequest } from '../../src/api/http/idempotencyKeys';
import { HttpProblem } from '../../src/api/http/errorHandler';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

// Claims that arrive together go to the database together, each still decided on its own.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ maxConnections: 8 });
});
afterAll(async () => db.dispose());

const SECRET = 'idempotency-batch-secret-idempotency-batch';

const keyed = (key: string, body: unknown, caller = 'user:one'): KeyedRequest => ({
  key,
  callerScope: caller,
  operation: 'POST /api/v1/bookings',
  request: body,
});

/** Statements the pool sends while `work` runs. */
const statementsDuring = async <T>(work: () => Promise<T>): Promise<{ value: T; statements: number }> => {
  let statements = 0;
  const count = () => statements++;
  db.knex.on('query', count);
  try {
    return { value: await work(), statements };
  } finally {
    db.knex.off('query', count);
  }
};

describe('Idempotency-Key claims made at once', () => {
  it('twenty concurrent claims of new keys cost one statement, and each gets its own command id', async () => {
    const keys = createIdempotencyKeys(db.knex, SECRET);
    const { value: ids, statements } = await statementsDuring(() =>
      Promise.all(Array.from({ length: 20 }, (_, i) => keys.claim(keyed(randomUUID(), { i })))),
    );
    expect(statements).toBe(1);
    expect(new Set(ids).size).toBe(20);
  });

  it('the same key and request claimed twice in one batch: both answer the same command id', async () => {
    const keys = createIdempotencyKeys(db.knex, SECRET);
    const key = randomUUID();
    const [a, b] = await Promise.all([keys.claim(keyed(key, { x: 1 })), keys.claim(keyed(key, { x: 1 }))]);
    expect(a).toBe(b);
    expect(await keys.claim(keyed(key, { x: 1 }))).toBe(a);
  });

  it('the same key with two different requests in one batch: exactly one is refused 422 idempotency-key-reused', async () => {
    const keys = createIdempotencyKeys(db.knex, SECRET);
    const key = randomUUID();
    const answers = await Promise.allSettled([
      keys.claim(keyed(key, { x: 1 })),
      keys.claim(keyed(key, { x: 2 })),
      keys.claim(keyed(randomUUID(), { x: 3 })),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refusal = (answers[1] as PromiseRejectedResult).reason as HttpProblem;
    expect(refusal).toBeInstanceOf(HttpProblem);
    expect(refusal.status).toBe(422);
    expect(refusal.slug).toBe('idempotency-key-reused');
  });

  it('a key claimed earlier keeps its request: a batch asking it with another body is refused, the others pass', async () => {
    const keys = createIdempotencyKeys(db.knex, SECRET);
    const key = randomUUID();
    const first = await keys.claim(keyed(key, { x: 1 }));
    const answers = await Promise.allSettled([
      keys.claim(keyed(key, { x: 2 })),
      keys.claim(keyed(key, { x: 1 })),
      keys.claim(keyed(key, { x: 1 }, 'user:two')),
    ]);
    expect(answers[0]!.status).toBe('rejected');
    expect(answers[1]).toEqual({ status: 'fulfilled', value: first });
    // Another caller's same key is an independent request.
    expect(answers[2]!.status).toBe('fulfilled');
    expect((answers[2] as PromiseFulfilledResult<string>).value).not.toBe(first);
  });

  it('two processes claiming the same keys in opposite orders at once: every claim answered, none refused', async () => {
    const one = createIdempotencyKeys(db.knex, SECRET);
    const two = createIdempotencyKeys(db.knex, SECRET);
    const keys = Array.from({ length: 30 }, () => randomUUID());
    const [a, b] = await Promise.all([
      Promise.all(keys.map((k) => one.claim(keyed(k, { k })))),
      Promise.all([...keys].reverse().map((k) => two.claim(keyed(k, { k })))),
    ]);
    expect(b.reverse()).toEqual(a);
  });
});
