import type { AllSubscription, RecordedEvent } from './eventStore';
import type { Position } from './position';
import { START } from './position';

export interface PollingSource {
  readPage(after: Position, maxCount: number): Promise<RecordedEvent[]>;
  /** Resolves when new events may be readable (a wake-up) or the poll interval has passed. */
  waitForMore(cursor: Position, signal: AbortSignal): Promise<void>;
}

/**
 * Catch-up then live, built from pages of `$all`: read until a short page, then wait for a
 * wake-up (or the poll timeout) and read again. Shared by the adapters that have no native
 * subscription, so they deliver in exactly the order `readAll` defines.
 */
export const pollingSubscription = (
  source: PollingSource,
  after: Position = START,
  pageSize = 500,
): AllSubscription => {
  const stop = new AbortController();
  let cursor = after;

  async function* events(): AsyncGenerator<RecordedEvent> {
    while (!stop.signal.aborted) {
      const page = await source.readPage(cursor, pageSize);
      for (const event of page) {
        if (stop.signal.aborted) return;
        cursor = event.position;
        yield event;
      }
      if (page.length < pageSize) await source.waitForMore(cursor, stop.signal);
    }
  }

  const iterator = events();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      stop.abort();
    },
  };
};
