import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, RecordedEvent } from '../../../src/events/store/eventStore';
import { WrongExpectedRevisionError } from '../../../src/events/store/errors';
import { comparePositions, START, type Position } from '../../../src/events/store/position';
import { chainHash, contentDigest, GENESIS_HASH } from '../../../src/events/store/hashChain';
import { HashChainWalker } from '../../../src/commands/audit/hashChainWalker';
import { describeMultiStreamAppends } from './multiStreamAppendContract';

/**
 * The one contract every event store adapter keeps. Each adapter's test file calls this with a
 * factory; the suite names the adapter so a run shows which store was proven.
 */
export interface ContractSubject {
  store: EventStore;
  /**
   * Begins an append inside a transaction that stays open until `commit` is called. Only stores
   * with concurrent write transactions (postgres) can do this; others append atomically in
   * log order, so a reader can never see a later event before an earlier one there.
   */
  holdOpenAppend?: (streamId: string, events: NewEvent[]) => Promise<{ commit(): Promise<void> }>;
  dispose(): Promise<void>;
}

const event = (type = 'ThingHappened', data: unknown = { n: 1 }): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { correlationId: randomUUID() },
});

const stream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;

/** Collects from a subscription until `predicate` holds over what was received. */
const collectUntil = async (
  iterable: AsyncIterable<RecordedEvent>,
  predicate: (received: RecordedEvent[]) => boolean,
): Promise<RecordedEvent[]> => {
  const received: RecordedEvent[] = [];
  for await (const e of iterable) {
    received.push(e);
    if (predicate(received)) break;
  }
  return received;
};

const readAllFrom = async (store: EventStore, after: Position): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ after: cursor, maxCount: 100 });
    if (page.length === 0) return all;
    all.push(...page);
    cursor = page[page.length - 1]!.position;
  }
};

export const describeEventStoreContract = (
  adapter: string,
  makeSubject: () => Promise<ContractSubject>,
  capabilities: { transactional: boolean },
) => {
  describe(`event store contract — ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await makeSubject();
      store = subject.store;
    });
    afterAll(async () => subject?.dispose());

    describe('append', () => {
      it('starts a new stream at revision 0 and returns the next expected revision and a position', async () => {
        const id = stream();
        const result = await store.append(id, [event(), event()], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1);
        const read = await store.readStream(id);
        expect(read.map((e) => e.revision)).toEqual([0, 1]);
        // At or after the last event: a reader that has reached it has seen the append. (EventStoreDB
        // reports the transaction's commit position, which need not equal the last event's own.)
        expect(comparePositions(result.position, read[1]!.position)).toBeGreaterThanOrEqual(0);
      });

      it('refuses no_stream when the stream exists and writes nothing', async () => {
        const id = stream();
        await store.append(id, [event()], { expectedRevision: 'no_stream' });
        const refused = store.append(id, [event()], { expectedRevision: 'no_stream' });
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(refused).rejects.toMatchObject({ streamId: id, actual: 0 });
        expect(await store.readStream(id)).toHaveLength(1);
      });

      it('appends at the exact revision and refuses a stale one with the actual revision', async () => {
        const id = stream();
        await store.append(id, [event(), event(), event()]);
        const ok = await store.append(id, [event()], { expectedRevision: 2 });
        expect(ok.nextExpectedRevision).toBe(3);
        await expect(store.append(id, [event()], { expectedRevision: 2 })).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          expected: 2,
          actual: 3,
        });
        expect(await store.readStream(id)).toHaveLength(4);
      });

      it('refuses an exact revision on a stream that does not exist', async () => {
        await expect(store.append(stream(), [event()], { expectedRevision: 0 })).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          actual: undefined,
        });
      });

      it('refuses stream_exists on a missing stream and accepts it on an existing one', async () => {
        const id = stream();
        await expect(
          store.append(id, [event()], { expectedRevision: 'stream_exists' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(id)).toEqual([]);
        await store.append(id, [event()]);
        const result = await store.append(id, [event()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('appends with any whatever the stream holds', async () => {
        const id = stream();
        expect((await store.append(id, [event()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0);
        expect((await store.append(id, [event()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(1);
      });

      it('keeps type, data and metadata exactly, unicode and nesting included', async () => {
        const id = stream();
        const data = { name: 'Yōga ☀️ क्लास', nested: { list: [1, 2.5, null, 'x'], flag: true }, empty: {} };
        const written = {
          ...event('SocietyRegistered', data),
          metadata: { actor: { id: 'u1', role: 'admin' } },
        };
        await store.append(id, [written]);
        const [read] = await store.readStream(id);
        expect(read).toMatchObject({
          id: written.id,
          streamId: id,
          type: 'SocietyRegistered',
          data,
          revision: 0,
        });
        expect(read!.metadata).toMatchObject({ actor: { id: 'u1', role: 'admin' } });
        expect(read!.createdAt).toBeInstanceOf(Date);
      });

      it('lets exactly one of 50 concurrent appends at the same expected revision win', async () => {
        const id = stream();
        await store.append(id, [event()]);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) =>
            store.append(id, [event('Raced', { i })], { expectedRevision: 0 }),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(49);
        for (const l of lost) expect(l.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('does not duplicate a retried append with the same event ids', async () => {
        const id = stream();
        const batch = [event(), event()];
        const first = await store.append(id, batch, { expectedRevision: 'no_stream' });
        const retried = await store.append(id, batch, { expectedRevision: 'no_stream' });
        expect(retried.nextExpectedRevision).toBe(first.nextExpectedRevision);
        const read = await store.readStream(id);
        expect(read.map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });

      it('does not duplicate a retried append made with any', async () => {
        const id = stream();
        const batch = [event(), event()];
        const first = await store.append(id, batch, { expectedRevision: 'any' });
        const retried = await store.append(id, batch, { expectedRevision: 'any' });
        expect(retried.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect((await store.readStream(id)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });

      it('does not duplicate a retried append made at an exact revision', async () => {
        const id = stream();
        await store.append(id, [event()]);
        const batch = [event()];
        const first = await store.append(id, batch, { expectedRevision: 0 });
        const retried = await store.append(id, batch, { expectedRevision: 0 });
        expect(retried.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(await store.readStream(id)).toHaveLength(2);
      });
    });

    describeMultiStreamAppends(() => store);

    describe('readStream', () => {
      let id: string;
      beforeAll(async () => {
        id = stream('read');
        await store.append(
          id,
          Array.from({ length: 10 }, (_, i) => event('Counted', { i })),
        );
      });

      it('reads a missing stream as empty', async () => {
        expect(await store.readStream(stream('missing'))).toEqual([]);
        expect(await store.readStream(stream('missing'), { direction: 'backwards' })).toEqual([]);
      });

      it('reads forwards from a revision', async () => {
        const read = await store.readStream(id, { fromRevision: 3, maxCount: 4 });
        expect(read.map((e) => e.revision)).toEqual([3, 4, 5, 6]);
        expect(read.map((e) => (e.data as { i: number }).i)).toEqual([3, 4, 5, 6]);
      });

      it('reads backwards from the end and from a revision', async () => {
        expect(
          (await store.readStream(id, { direction: 'backwards', maxCount: 3 })).map((e) => e.revision),
        ).toEqual([9, 8, 7]);
        expect(
          (await store.readStream(id, { direction: 'backwards', fromRevision: 4 })).map((e) => e.revision),
        ).toEqual([4, 3, 2, 1, 0]);
      });

      it('reads nothing past the end', async () => {
        expect(await store.readStream(id, { fromRevision: 10 })).toEqual([]);
      });
    });

    describe('$all', () => {
      it('reads committed events strictly after a position, in the order they were appended', async () => {
        const head = await store.headPosition();
        const a = stream('all');
        const b = stream('all');
        await store.append(a, [event('A1')]);
        await store.append(b, [event('B1'), event('B2')]);
        await store.append(a, [event('A2')]);
        const read = (await readAllFrom(store, head)).filter((e) => e.streamId === a || e.streamId === b);
        expect(read.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
        for (let i = 1; i < read.length; i++) {
          expect(comparePositions(read[i - 1]!.position, read[i]!.position)).toBe(-1);
        }
        const afterFirst = await store.readAll({ after: read[0]!.position, maxCount: 1 });
        expect(afterFirst[0]!.id).toBe(read[1]!.id);
      });

      it('moves the head position forward with each append', async () => {
        const before = await store.headPosition();
        const { position } = await store.append(stream(), [event()]);
        const after = await store.headPosition();
        expect(comparePositions(after, before)).toBe(1);
        expect(comparePositions(after, position)).toBeGreaterThanOrEqual(0);
      });

      it('names the newest position: the last answered append’s, never beyond the head when nothing hides', async () => {
        const { position } = await store.append(stream(), [event()]);
        const newest = await store.newestPosition();
        expect(comparePositions(newest, position)).toBeGreaterThanOrEqual(0);
        expect(comparePositions(newest, await store.headPosition())).toBeGreaterThanOrEqual(0);
      });

      it('pages through everything once when read in small pages', async () => {
        const head = await store.headPosition();
        const id = stream('paged');
        for (let i = 0; i < 7; i++) await store.append(id, [event('Paged', { i })]);
        const read = (await readAllFrom(store, head)).filter((e) => e.streamId === id);
        expect(read.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      });

      it('subscribes from a position: catches up, then goes live, each event once and in order', async () => {
        const head = await store.headPosition();
        const id = stream('sub');
        await store.append(id, [event('Before', { i: 0 }), event('Before', { i: 1 })]);
        const subscription = store.subscribeToAll({ after: head });
        const received = collectUntil(subscription, (r) => r.filter((e) => e.streamId === id).length >= 5);
        await store.append(id, [event('Live', { i: 2 })]);
        await store.append(id, [event('Live', { i: 3 }), event('Live', { i: 4 })]);
        const mine = (await received).filter((e) => e.streamId === id);
        await subscription.close();
        expect(mine.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
        expect(mine.map((e) => e.type)).toEqual(['Before', 'Before', 'Live', 'Live', 'Live']);
      });

      it('delivers to a subscriber everything many concurrent writers append, exactly once, in $all order', async () => {
        const head = await store.headPosition();
        const prefix = `fan-${randomUUID()}`;
        const writers = 8;
        const perWriter = 25;
        const subscription = store.subscribeToAll({ after: head });
        const received = collectUntil(
          subscription,
          (r) => r.filter((e) => e.streamId.startsWith(prefix)).length >= writers * perWriter,
        );
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i++)
              await store.append(`${prefix}-${w}`, [event('Fanned', { w, i })]);
          }),
        );
        const mine = (await received).filter((e) => e.streamId.startsWith(prefix));
        await subscription.close();
        expect(new Set(mine.map((e) => e.id)).size).toBe(writers * perWriter);
        expect(mine).toHaveLength(writers * perWriter);
        const ordered = (await readAllFrom(store, head)).filter((e) => e.streamId.startsWith(prefix));
        expect(mine.map((e) => e.id)).toEqual(ordered.map((e) => e.id));
      });

      it('ends a subscription when it is closed', async () => {
        const subscription = store.subscribeToAll({ after: await store.headPosition() });
        const drained = (async () => {
          const got: RecordedEvent[] = [];
          for await (const e of subscription) got.push(e);
          return got;
        })();
        await subscription.close();
        await expect(drained).resolves.toEqual([]);
      });

      it('starts from the beginning when no position is given', async () => {
        const first = await store.readAll({ maxCount: 1 });
        const firstAfterStart = await store.readAll({ after: START, maxCount: 1 });
        expect(first[0]?.id).toBeDefined();
        expect(first[0]?.id).toBe(firstAfterStart[0]?.id);
      });
    });

    describe('hash chain', () => {
      it('chains each event to the one before it in its stream, whatever the expected revision', async () => {
        const id = stream('chained');
        await store.append(id, [event('First', { at: new Date('2026-11-25T08:00:00Z') })], {
          expectedRevision: 'no_stream',
        });
        await store.append(id, [event('Second'), event('Third', { money: '12.50', n: 0.1 + 0.2 })], {
          expectedRevision: 0,
        });
        await store.append(id, [event('Fourth')], { expectedRevision: 'any' });
        const read = await store.readStream(id);
        let previous = GENESIS_HASH;
        for (const e of read) {
          expect(e.hash).toBe(chainHash(previous, e.revision, contentDigest(e)));
          previous = e.hash!;
        }
        const walker = new HashChainWalker();
        for (const e of read) walker.observe(e);
        expect(walker.report()).toMatchObject({ ok: true, eventsChecked: 4, streamsChecked: 1 });
      });

      it('keeps every chain of the store unbroken under concurrent appends with any', async () => {
        const id = stream('chained-any');
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.append(id, [event('Raced', { i })], { expectedRevision: 'any' }),
          ),
        );
        const walker = new HashChainWalker();
        for (const e of await store.readStream(id)) walker.observe(e);
        expect(walker.report()).toMatchObject({ ok: true, eventsChecked: 20 });
      });
    });

    if (capabilities.transactional) {
      it('delivers an event whose transaction commits late, after events committed meanwhile, exactly once', async () => {
        const head = await store.headPosition();
        const prefix = `slow-${randomUUID()}`;
        const subscription = store.subscribeToAll({ after: head });
        const received = collectUntil(
          subscription,
          (r) => r.filter((e) => e.streamId.startsWith(prefix)).length >= 4,
        );
        const slow = await subject.holdOpenAppend!(`${prefix}-slow`, [event('Slow')]);
        await store.append(`${prefix}-fast`, [event('Fast1')]);
        await store.append(`${prefix}-fast`, [event('Fast2')]);
        await store.append(`${prefix}-fast`, [event('Fast3')]);
        await slow.commit();
        const mine = (await received).filter((e) => e.streamId.startsWith(prefix));
        await subscription.close();
        // The slow writer took its transaction first, so $all puts it first, and nobody skipped it.
        expect(mine.map((e) => e.type)).toEqual(['Slow', 'Fast1', 'Fast2', 'Fast3']);
        const reread = (await readAllFrom(store, head)).filter((e) => e.streamId.startsWith(prefix));
        expect(reread.map((e) => e.id)).toEqual(mine.map((e) => e.id));
      });

      it('names as newest an answered append that an older open transaction still hides from the head', async () => {
        const slow = await subject.holdOpenAppend!(`slow-${randomUUID()}`, [event('Slow')]);
        try {
          const { position } = await store.append(stream('fast'), [event('Fast')]);
          // Readers may not be handed it yet (the head stays behind), but it was answered: it exists.
          expect(comparePositions(await store.headPosition(), position)).toBe(-1);
          expect(comparePositions(await store.newestPosition(), position)).toBeGreaterThanOrEqual(0);
        } finally {
          await slow.commit();
        }
      });
    }
  });
};
