import type { AllSubscription, RecordedEvent } from '../../../src/events/store/eventStore';
import { subscriptionResubscribes } from '../../../src/events/store/subscriptionLiveness';

/** Everything a subscription delivers, as it arrives, and a way to wait for a condition on it. */
export const watch = (subscription: AllSubscription) => {
  const received: RecordedEvent[] = [];
  let failure: unknown;
  const listeners = new Set<() => void>();
  const ended = (async () => {
    try {
      for await (const event of subscription) {
        received.push(event);
        for (const listener of listeners) listener();
      }
    } catch (error) {
      failure = error;
      for (const listener of listeners) listener();
    }
  })();

  /** Resolves once `predicate` holds; fails (showing what came) after `withinMs`. */
  const until = (predicate: (received: RecordedEvent[]) => boolean, withinMs = 5000): Promise<void> =>
    new Promise((resolve, reject) => {
      const settle = () => {
        if (failure) return finish(() => reject(failure));
        if (predicate(received)) finish(resolve);
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new Error(
                `condition not met within ${withinMs} ms; received ${JSON.stringify(received.map((e) => e.data))}`,
              ),
            ),
          ),
        withinMs,
      );
      const finish = (then: () => void) => {
        clearTimeout(timer);
        listeners.delete(settle);
        then();
      };
      listeners.add(settle);
      settle();
    });

  return { received, until, ended };
};

export const resubscribesOf = async (store: string): Promise<number> =>
  (await subscriptionResubscribes.get()).values.find((v) => v.labels.store === store)?.value ?? 0;
