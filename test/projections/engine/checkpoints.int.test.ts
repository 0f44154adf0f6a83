import {
  advanceCheckpoints,
  readCheckpoint,
  registerCheckpoint,
} from '../../../src/projections/engine/checkpoints';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.dispose());

const at = (n: number) => ({ commit: BigInt(n), prepare: BigInt(n) });

describe('checkpoint moves together', () => {
  it('moves each checkpoint by its own compare-and-set and answers which moved', async () => {
    const names = ['cp_a', 'cp_b', 'cp_c'];
    const start = await Promise.all(names.map((n) => registerCheckpoint(db.knex, n, 1)));
    const moved = await advanceCheckpoints(db.knex, [
      { checkpoint: start[0]!, from: start[0]!.position, to: at(10), applied: 4, lastEventAt: new Date() },
      // Stale: someone else moved it from here already.
      { checkpoint: start[1]!, from: at(3), to: at(10), applied: 4, lastEventAt: new Date() },
      { checkpoint: start[2]!, from: start[2]!.position, to: at(12), applied: 6, lastEventAt: new Date() },
    ]);
    expect(moved).toEqual([true, false, true]);
    const after = await Promise.all(names.map((n) => readCheckpoint(db.knex, n, 1)));
    expect(after.map((c) => [c!.position, c!.eventsApplied])).toEqual([
      [at(10), 4],
      [start[1]!.position, 0],
      [at(12), 6],
    ]);
  });
});
