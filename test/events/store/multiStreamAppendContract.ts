import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '../../../src/events/store/eventStore';
import { WrongExpectedRevisionError } from '../../../src/events/store/errors';
import { comparePositions } from '../../../src/events/store/position';

const event = (type = 'ThingHappened', data: unknown = { n: 1 }): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { correlationId: randomUUID() },
});

const stream = (prefix = 'multi') => `${prefix}-${randomUUID()}`;

/**
 * EventStore.appendToStreams, part of the contract every adapter keeps: each stream at its own
 * expected revision, in the given order; all or nothing where the store says `atomic`, one after
 * another (the ones before a refused stream stay written) where it says `in-order`.
 */
export const describeMultiStreamAppends = (subject: () => EventStore) => {
  describe('appendToStreams', () => {
    let store: EventStore;
    beforeAll(() => {
      store = subject();
    });

    it('writes each stream at its own expected revision and answers in the given order', async () => {
      const [seats, placement] = [stream('seats'), stream('placement')];
      await store.append(seats, [event(), event()]);
      const results = await store.appendToStreams([
        { streamId: seats, events: [event('Seat')], expectedRevision: 1 },
        { streamId: placement, events: [event('Placed'), event('Placed')], expectedRevision: 'no_stream' },
      ]);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([2, 1]);
      expect((await store.readStream(seats)).map((e) => e.type)).toEqual([
        'ThingHappened',
        'ThingHappened',
        'Seat',
      ]);
      expect((await store.readStream(placement)).map((e) => e.revision)).toEqual([0, 1]);
    });

    it('orders the streams’ events in $all as given: the first stream’s before the next', async () => {
      const [first, second] = [stream('first'), stream('second')];
      const [a, b] = await store.appendToStreams([
        { streamId: second.replace('second', 'zzz'), events: [event('A')], expectedRevision: 'no_stream' },
        { streamId: first.replace('first', 'aaa'), events: [event('B')], expectedRevision: 'no_stream' },
      ]);
      expect(comparePositions(a!.position, b!.position)).toBeLessThan(0);
      const [readA] = await store.readStream(second.replace('second', 'zzz'));
      const [readB] = await store.readStream(first.replace('first', 'aaa'));
      expect(comparePositions(readA!.position, readB!.position)).toBeLessThan(0);
    });

    it('refuses when the first stream is not as expected, naming it, and writes nothing', async () => {
      const [seats, placement] = [stream('seats'), stream('placement')];
      await store.append(seats, [event(), event()]);
      const refused = store.appendToStreams([
        { streamId: seats, events: [event('Seat')], expectedRevision: 0 },
        { streamId: placement, events: [event('Placed')], expectedRevision: 'no_stream' },
      ]);
      await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(refused).rejects.toMatchObject({ streamId: seats, expected: 0, actual: 1 });
      expect(await store.readStream(seats)).toHaveLength(2);
      expect(await store.readStream(placement)).toEqual([]);
    });

    it('refuses when a later stream is not as expected: atomic writes neither, in-order the ones before', async () => {
      const [seats, placement] = [stream('seats'), stream('placement')];
      await store.append(placement, [event('Placed')]);
      const refused = store.appendToStreams([
        { streamId: seats, events: [event('Seat')], expectedRevision: 'no_stream' },
        { streamId: placement, events: [event('Placed')], expectedRevision: 'no_stream' },
      ]);
      await expect(refused).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        streamId: placement,
        expected: 'no_stream',
        actual: 0,
      });
      expect(await store.readStream(placement)).toHaveLength(1);
      expect(await store.readStream(seats)).toHaveLength(store.multiStreamAppends === 'atomic' ? 0 : 1);
    });

    it('answers a retried call with its original outcome and writes nothing new', async () => {
      const [seats, placement] = [stream('seats'), stream('placement')];
      const call = [
        { streamId: seats, events: [event('Seat')], expectedRevision: 'no_stream' as const },
        { streamId: placement, events: [event('Placed')], expectedRevision: 'any' as const },
      ];
      const first = await store.appendToStreams(call);
      const retried = await store.appendToStreams(call);
      expect(retried.map((r) => r.nextExpectedRevision)).toEqual(first.map((r) => r.nextExpectedRevision));
      expect(await store.readStream(seats)).toHaveLength(1);
      expect(await store.readStream(placement)).toHaveLength(1);
    });

    it('lets one of 30 concurrent calls at one revision win; the others write none of their streams', async () => {
      const seats = stream('seats');
      await store.append(seats, [event()]);
      const placements = Array.from({ length: 30 }, () => stream('placement'));
      const outcomes = await Promise.allSettled(
        placements.map((placement, i) =>
          store.appendToStreams([
            { streamId: seats, events: [event('Seat', { i })], expectedRevision: 0 },
            { streamId: placement, events: [event('Placed', { i })], expectedRevision: 'no_stream' },
          ]),
        ),
      );
      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      for (const o of outcomes)
        if (o.status === 'rejected')
          expect(o.reason).toMatchObject({ name: 'WrongExpectedRevisionError', streamId: seats });
      const written = await Promise.all(placements.map((p) => store.readStream(p)));
      expect(written.map((events) => events.length)).toEqual(
        placements.map((_, i) => (i === won[0] ? 1 : 0)),
      );
      expect(await store.readStream(seats)).toHaveLength(2);
    });

    it('keeps a group of one like a plain append beside groups of several arriving together', async () => {
      const lone = stream('lone');
      await store.append(lone, [event()]);
      const [pair, partner] = [stream('pair'), stream('partner')];
      const [single, group] = await Promise.allSettled([
        store.appendToStreams([{ streamId: lone, events: [event('Late')], expectedRevision: 5 }]),
        store.appendToStreams([
          { streamId: pair, events: [event()], expectedRevision: 'no_stream' },
          { streamId: partner, events: [event()], expectedRevision: 'no_stream' },
        ]),
      ]);
      expect(single).toMatchObject({ status: 'rejected', reason: { streamId: lone, actual: 0 } });
      expect(group).toMatchObject({ status: 'fulfilled' });
      expect(await store.readStream(partner)).toHaveLength(1);
    });

    it('refuses a stream named twice', async () => {
      const id = stream();
      await expect(
        store.appendToStreams([
          { streamId: id, events: [event()] },
          { streamId: id, events: [event()] },
        ]),
      ).rejects.toBeInstanceOf(RangeError);
      expect(await store.readStream(id)).toEqual([]);
    });
  });
};
