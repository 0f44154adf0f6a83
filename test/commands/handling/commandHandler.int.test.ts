import { randomUUID } from 'node:crypto';
import {
  CommandHandler,
  CommandRefusedError,
  ConcurrencyConflictError,
} from '../../../src/commands/handling/commandHandler';
import { refuse, type Decider, type DomainEvent } from '../../../src/commands/handling/decider';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

/** A seat counter: the shape of every capacity rule, small enough to reason about. */
type SeatTaken = DomainEvent<'SeatTaken', { by: string }>;
const seats = (limit: number): Decider<number, { by: string }, SeatTaken> => ({
  initialState: () => 0,
  evolve: (taken) => taken + 1,
  decide: (command, taken) =>
    taken >= limit
      ? refuse('class-full', 422, 'No seat left')
      : [{ type: 'SeatTaken', data: { by: command.by } }],
});

let db: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
});
afterAll(async () => {
  await store.close();
  await db.dispose();
});

const meta = (commandId = randomUUID()) => ({ commandId, commandType: 'TakeSeat' });

describe('command handler on PostgreSQL', () => {
  it('never gives out more seats than exist when two processes race, each with its own cached view', async () => {
    const streamId = `class-${randomUUID()}`;
    const decider = seats(30);
    // Two handlers stand for two API processes: separate mutexes, separate state caches.
    const processes = [new CommandHandler(store), new CommandHandler(store)];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) =>
        processes[i % 2]!.handle(streamId, decider, { by: `m${i}` }, meta()),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const failures = outcomes
      .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
      .map((o) => o.reason);
    expect(won).toHaveLength(30);
    // Losers are told "full" (422) or, when the other process kept winning the race, "try again" (409).
    for (const failure of failures) {
      expect(failure instanceof CommandRefusedError || failure instanceof ConcurrencyConflictError).toBe(
        true,
      );
    }
    expect(await store.readStream(streamId)).toHaveLength(30);
  });

  it('answers a retried command with its first outcome, even from another process', async () => {
    const streamId = `class-${randomUUID()}`;
    const decider = seats(1);
    const commandId = randomUUID();
    const first = await new CommandHandler(store).handle(streamId, decider, { by: 'a' }, meta(commandId));
    const retried = await new CommandHandler(store).handle(streamId, decider, { by: 'a' }, meta(commandId));
    expect(retried.position).toEqual(first.position);
    expect(retried.events).toEqual(first.events);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('sees a write made by another process before deciding again (stale cache is caught by the revision)', async () => {
    const streamId = `class-${randomUUID()}`;
    const decider = seats(2);
    const a = new CommandHandler(store);
    const b = new CommandHandler(store);
    await a.handle(streamId, decider, { by: 'first' }, meta());
    await b.handle(streamId, decider, { by: 'second' }, meta());
    // a's cache still says one seat is taken; the append at its revision conflicts, a re-reads, refuses.
    await expect(a.handle(streamId, decider, { by: 'third' }, meta())).rejects.toMatchObject({
      refusal: { type: 'class-full' },
    });
    expect(await store.readStream(streamId)).toHaveLength(2);
  });
});
