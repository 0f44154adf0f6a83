import type { Position } from '../../src/events/store/position';
import { registerCheckpoint } from '../../src/projections/engine/checkpoints';
import { PositionWaiter } from '../../src/projections/engine/positionWaiter';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

// The checkpoints table is the waiter's safety net, not its way of hearing moves: with the
// checkpoint channel up, a request waiting for its write does not re-read it four times a second.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ maxConnections: 5 });
  await registerCheckpoint(db.knex, 'bookings', 1);
});
afterAll(async () => db.dispose());

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });

/** Reads of the checkpoints table while `work` runs. */
const checkpointReadsDuring = async (work: () => Promise<unknown>) => {
  let reads = 0;
  const count = ({ sql }: { sql: string }) => {
    if (/from "projection_checkpoints"/i.test(sql)) reads++;
  };
  db.knex.on('query', count);
  try {
    await work();
    return reads;
  } finally {
    db.knex.off('query', count);
  }
};

const started = async (connectionString: string | undefined) => {
  const w = new PositionWaiter(db.knex, connectionString, 50);
  await w.start();
  await w.refresh();
  return w;
};

describe('position waiter safety net', () => {
  it('listening on the checkpoint channel, a 600 ms wait reads the checkpoints table at most once', async () => {
    const w = await started(db.url);
    try {
      const reads = await checkpointReadsDuring(async () =>
        expect(await w.waitFor(at(1_000), 600)).toBe(false),
      );
      expect(reads).toBeLessThanOrEqual(1);
    } finally {
      await w.close();
    }
  });

  it('with no channel, it still looks at the table every poll interval while someone waits', async () => {
    const w = await started(undefined);
    try {
      const reads = await checkpointReadsDuring(async () =>
        expect(await w.waitFor(at(1_000), 600)).toBe(false),
      );
      expect(reads).toBeGreaterThanOrEqual(5);
    } finally {
      await w.close();
    }
  });
});
