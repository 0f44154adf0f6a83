// What the liveness watch does not do: reopen a subscription that is merely quiet, or one whose
// consumer is slow. Waits are for conditions (the head checked so many times), never for time.
import { randomUUID } from 'node:crypto';
import type { AllSubscription, RecordedEvent } from '../../../src/events/store/eventStore';
import { START, type Position } from '../../../src/events/store/position';
import { withLiveness, subscriptionResubscribes } from '../../../src/events/store/subscriptionLiveness';
import { createMetrics } from '../../../src/api/http/metrics';

/**
 * A subscription fed by hand: each event pushed is delivered at once to whoever waits, so any
 * resubscribe seen is the watch's doing. The head is the last event pushed.
 */
const channel = () => {
  const log: RecordedEvent[] = [];
  const wakers = new Set<() => void>();
  const push = (i: number) => {
    const n = BigInt(log.length);
    log.push({
      id: randomUUID(),
      streamId: 's',
      revision: log.length,
      position: { commit: n, prepare: n },
      type: 'Counted',
      data: { i },
      metadata: {},
      createdAt: new Date(),
    });
    for (const wake of wakers) wake();
  };
  const subscribe = (after: Position | undefined): AllSubscription => {
    let closed = false;
    let next = after === undefined ? 0 : Number(after.commit) + 1;
    async function* events(): AsyncGenerator<RecordedEvent> {
      while (!closed) {
        if (next < log.length) yield log[next++]!;
        else await new Promise<void>((resolve) => wakers.add(resolve)).finally(() => wakers.clear());
      }
    }
    const iterator = events();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        closed = true;
        for (const wake of wakers) wake();
      },
    };
  };
  const head = async (): Promise<Position> => log[log.length - 1]?.position ?? START;
  return { push, subscribe, head };
};

/** A channel watched every 10 ms, counting subscribes, head checks and warnings. */
const watched = () => {
  const source = channel();
  const subscribedFrom: Array<Position | undefined> = [];
  const warnings: object[] = [];
  let headChecks = 0;
  const headChecked = new Set<() => void>();
  const subscription = withLiveness(
    (after) => {
      subscribedFrom.push(after);
      return source.subscribe(after);
    },
    async () => {
      headChecks++;
      for (const wake of headChecked) wake();
      return source.head();
    },
    undefined,
    { store: 'unit', intervalMs: 10, logger: { warn: (fields) => warnings.push(fields) } },
  );
  /** Resolves once the watch has looked at the head `n` more times. */
  const headCheckedTimes = (n: number) =>
    new Promise<void>((resolve) => {
      const target = headChecks + n;
      const wake = () => {
        if (headChecks < target) return;
        headChecked.delete(wake);
        resolve();
      };
      headChecked.add(wake);
    });
  return { push: source.push, subscription, subscribedFrom, warnings, headCheckedTimes };
};

const firstOf = async (subscription: AllSubscription) => {
  const iterator = subscription[Symbol.asyncIterator]();
  return { iterator, first: await iterator.next() };
};

describe('subscription liveness', () => {
  it('leaves a subscription alone while the store is quiet', async () => {
    const { push, subscription, subscribedFrom, warnings, headCheckedTimes } = watched();
    push(0);
    const { iterator, first } = await firstOf(subscription);
    expect(first.value).toMatchObject({ data: { i: 0 } });
    const waiting = iterator.next();
    await headCheckedTimes(3);
    expect(subscribedFrom).toHaveLength(1);
    expect(warnings).toEqual([]);
    push(1);
    await expect(waiting).resolves.toMatchObject({ value: { data: { i: 1 } } });
    await subscription.close();
  });

  it('does not count the time a consumer spends on an event, however far the head moves', async () => {
    // The watch only looks while waiting, so there is no check to wait for: the clock is moved.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { push, subscription, subscribedFrom, warnings } = watched();
    push(0);
    const { iterator } = await firstOf(subscription);
    // The consumer holds event 0 while more arrives and ten intervals pass.
    push(1);
    push(2);
    await jest.advanceTimersByTimeAsync(100);
    jest.useRealTimers();
    expect(subscribedFrom).toHaveLength(1);
    expect(warnings).toEqual([]);
    expect((await iterator.next()).value).toMatchObject({ data: { i: 1 } });
    expect((await iterator.next()).value).toMatchObject({ data: { i: 2 } });
    expect(subscribedFrom).toHaveLength(1);
    await subscription.close();
  });

  it('ends a pending iteration when closed', async () => {
    const { subscription } = watched();
    const pending = subscription[Symbol.asyncIterator]().next();
    await subscription.close();
    await expect(pending).resolves.toMatchObject({ done: true });
  });

  it('is registered on the metrics registry the service exposes', async () => {
    const { registry } = createMetrics({ lag: async () => [] });
    subscriptionResubscribes.inc({ store: 'unit-registry' }, 0);
    expect(await registry.metrics()).toContain('event_store_subscription_resubscribes_total');
  });
});
