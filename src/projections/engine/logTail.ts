import type { Logger } from 'pino';
import type { EventStore, RecordedEvent } from '../../events/store/eventStore';
import type { Position } from '../../events/store/position';
import { EventBuffer } from './eventBuffer';
import { DEFAULT_HEAP_BOUND_BYTES, heapBound, type HeapBoundSettings } from '../../events/store/heapBound';
import { pause } from './pause';

export interface TailOptions {
  /** Events per batch while following live appends. */
  readonly batchSize: number;
  /** Events per page (and per batch) while catching up. */
  readonly catchUpBatchSize: number;
  /** How long a live batch waits for its first event before an empty batch is handed out. */
  readonly idleMs: number;
  /** Pause after a failed read before reading again from the last position handed out. */
  readonly retryDelayMs: number;
  /** Garbage the heap may hold before a batch ends with a full collection (see heapBound.ts). */
  readonly heap?: HeapBoundSettings;
}

export interface TailBatch {
  readonly events: readonly RecordedEvent[];
  /** Nothing more is known to be waiting: the moment a rebuilt version may be promoted. */
  readonly drained: boolean;
}

const readPage = (store: EventStore, after: Position, maxCount: number): Promise<RecordedEvent[]> => {
  const page = store.readAll({ after, maxCount });
  // Awaited on the next turn; until then a failed read must not count as unhandled.
  page.catch(() => undefined);
  return page;
};

/**
 * The process's one tail of `$all`, as batches. Far behind (the first start on a big log, or
 * after falling behind by a whole page) it reads `readAll` pages of `catchUpBatchSize`, the next
 * page read while the current one is applied — the way a rebuild reads. Once a page comes back
 * short it follows live appends through one subscription (reconnecting in the store) in batches
 * of `batchSize`. A failed read starts again from the last event handed out: nothing is skipped
 * and nothing is handed out twice.
 */
export async function* tailOf(
  store: EventStore,
  after: Position,
  options: TailOptions,
  signal: AbortSignal,
  log: Logger,
): AsyncGenerator<TailBatch> {
  let cursor = after;
  // Only between catch-up pages: a forced full collection holds the event loop for ~50 ms, which
  // requests must not pay while the read side follows live appends; far behind, the API is not
  // ready anyway and pages of 5,000 events are what fills the heap.
  const collectIfOverBound = heapBound(options.heap ?? { boundBytes: DEFAULT_HEAP_BOUND_BYTES });
  while (!signal.aborted) {
    try {
      let reading = readPage(store, cursor, options.catchUpBatchSize);
      for (;;) {
        const page = await reading;
        const more = page.length === options.catchUpBatchSize && !signal.aborted;
        if (more) reading = readPage(store, page[page.length - 1]!.position, options.catchUpBatchSize);
        if (page.length > 0) {
          cursor = page[page.length - 1]!.position;
          yield { events: page, drained: !more };
          collectIfOverBound();
        }
        if (!more) break;
      }
      const highWater = Math.max(options.catchUpBatchSize, options.batchSize);
      const buffer = new EventBuffer(store, cursor, highWater);
      try {
        while (!signal.aborted) {
          const events = await buffer.take(options.batchSize, options.idleMs, signal);
          if (events.length > 0) cursor = events[events.length - 1]!.position;
          yield { events, drained: buffer.pending === 0 };
          // A whole page waiting: behind again (a burst, a slow batch), so back to big pages.
          if (buffer.pending >= options.catchUpBatchSize) break;
        }
      } finally {
        await buffer.close();
      }
    } catch (error) {
      if (signal.aborted) break;
      log.warn({ err: error }, 'reading $all failed; reading again from the last event handed out');
      await pause(options.retryDelayMs, signal);
    }
  }
}
