import type { Position } from '../../src/events/store/position';
import {
  advanceCheckpoints,
  parseCheckpointNotice,
  registerCheckpoint,
  type Checkpoint,
} from '../../src/projections/engine/checkpoints';
import { PositionWaiter } from '../../src/projections/engine/positionWaiter';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/** A poll this slow never answers within a test: whatever answers came from the board. */
const NEVER_POLLS = 3_600_000;

let db: TestDatabase;
const waiters: PositionWaiter[] = [];
beforeEach(async () => {
  db = await createTestDatabase({ maxConnections: 5 });
});
afterEach(async () => {
  await Promise.all(waiters.splice(0).map((w) => w.close()));
  await db.dispose();
});

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });
const waiter = async (connectionString?: string) => {
  const w = new PositionWaiter(db.knex, connectionString, NEVER_POLLS);
  waiters.push(w);
  await w.start();
  await w.refresh();
  return w;
};
const move = async (checkpoint: Checkpoint, to: number) => {
  const [moved] = await advanceCheckpoints(db.knex, [
    { checkpoint, from: checkpoint.position, to: at(to), applied: 1, lastEventAt: new Date() },
  ]);
  expect(moved).toBe(true);
  return { ...checkpoint, position: at(to) };
};
/** Settles to 'pending' if `promise` has not settled by the time a fresh macrotask runs. */
const settledYet = <T>(promise: Promise<T>) =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);

describe('position waiter', () => {
  it('answers from the checkpoints this process moves, without reading the table again', async () => {
    const bookings = await registerCheckpoint(db.knex, 'bookings', 1);
    const classes = await registerCheckpoint(db.knex, 'classes', 1);
    const w = await waiter();
    const waiting = w.waitFor(at(10), 60_000);
    expect(await settledYet(waiting)).toBe('pending');

    w.absorb(await move(bookings, 10));
    expect(await settledYet(waiting)).toBe('pending'); // classes is still behind
    w.absorb(await move(classes, 12));
    expect(await waiting).toBe(true);
  });

  it('waits only for the read models named', async () => {
    const bookings = await registerCheckpoint(db.knex, 'bookings', 1);
    await registerCheckpoint(db.knex, 'notifications', 1);
    const w = await waiter();

    const answer = w.waitFor(at(5), 60_000, ['bookings']);
    const everything = w.waitFor(at(5), 50);
    w.absorb(await move(bookings, 5));

    expect(await answer).toBe(true);
    expect(await everything).toBe(false); // notifications never moved: the full wait times out
  });

  it('hears a checkpoint moved by another process through NOTIFY, with no poll', async () => {
    const bookings = await registerCheckpoint(db.knex, 'bookings', 1);
    const w = await waiter(db.url);
    const waiting = w.waitFor(at(7), 10_000);
    // Moved on this connection pool, never absorbed: only the notice can tell the waiter.
    await move(bookings, 7);
    expect(await waiting).toBe(true);
  });

  it('a promoted rebuild replaces its older version on the board, even when it stands lower', async () => {
    await registerCheckpoint(db.knex, 'bookings', 1);
    const w = await waiter();
    w.absorb({ name: 'bookings', version: 1, status: 'active', position: at(20) });
    expect(w.reached()).toEqual(at(20));

    w.absorb({ name: 'bookings', version: 2, status: 'active', position: at(18) });
    expect(w.reached()).toEqual(at(18));
    // The retired version's runner, not yet stopped, must not put the board back.
    w.absorb({ name: 'bookings', version: 1, status: 'active', position: at(25) });
    w.absorb({ name: 'bookings', version: 2, status: 'building', position: at(30) });
    expect(w.reached()).toEqual(at(18));
  });

  it('reads checkpoint notices, and nothing else, off the channel', () => {
    expect(
      parseCheckpointNotice(
        JSON.stringify({ name: 'classes', version: 3, status: 'active', commit: '-1', prepare: '42' }),
      ),
    ).toEqual({ name: 'classes', version: 3, status: 'active', position: { commit: -1n, prepare: 42n } });
    expect(parseCheckpointNotice('classes')).toBeUndefined();
    expect(
      parseCheckpointNotice(
        JSON.stringify({ name: 'classes', version: 3, status: 'gone', commit: '1', prepare: '1' }),
      ),
    ).toBeUndefined();
    expect(
      parseCheckpointNotice(
        JSON.stringify({ name: 'classes', version: 3, status: 'active', commit: '1e3', prepare: '1' }),
      ),
    ).toBeUndefined();
  });
});
