import pino from 'pino';
import { MemoryEventStore } from '../../../src/events/store/memory/memoryEventStore';
import { START } from '../../../src/events/store/position';
import { tailOf } from '../../../src/projections/engine/logTail';

// A catch-up page is promoted to V8's old generation while it is applied, and V8 lets the old
// generation grow to about three times its live size before it next compacts: a fresh API
// catching up 100k events peaked at 342 MB RSS with ~75 MB live. The tail bounds that: after a
// batch, a heap holding more than its bound is collected.
const options = { batchSize: 10, catchUpBatchSize: 10, idleMs: 5, retryDelayMs: 5 };

const logOf = async (events: number) => {
  const store = new MemoryEventStore();
  for (let i = 0; i < events; i++)
    await store.append(`s-${i}`, [{ id: `e-${i}`, type: 'Thing', data: { i } }]);
  return store;
};

/** Tails `store` until `until` events were seen; `afterBatch` runs after each batch. */
const catchUp = async (
  store: MemoryEventStore,
  heap: { boundBytes: number; collect: () => void },
  until = 30,
  afterBatch: (seen: number) => Promise<void> = async () => undefined,
) => {
  const stop = new AbortController();
  let seen = 0;
  for await (const batch of tailOf(
    store,
    START,
    { ...options, heap },
    stop.signal,
    pino({ level: 'silent' }),
  )) {
    seen += batch.events.length;
    await afterBatch(seen);
    if (seen >= until) stop.abort();
  }
  return seen;
};

describe('catch-up heap bound', () => {
  it('collects the heap after a catch-up page once it holds more than the bound', async () => {
    let collections = 0;
    const seen = await catchUp(await logOf(30), { boundBytes: 1, collect: () => (collections += 1) });
    expect(seen).toBe(30);
    expect(collections).toBeGreaterThanOrEqual(1);
  });

  it('never collects between live batches, where requests would wait on it', async () => {
    const store = await logOf(5);
    let collections = 0;
    const appendMore = async (seen: number) => {
      // The first batch is the short catch-up page; what follows arrives live.
      if (seen !== 5) return;
      for (let i = 5; i < 15; i++)
        await store.append(`s-${i}`, [{ id: `e-${i}`, type: 'Thing', data: { i } }]);
    };
    const seen = await catchUp(store, { boundBytes: 1, collect: () => (collections += 1) }, 15, appendMore);
    expect(seen).toBe(15);
    expect(collections).toBe(1);
  });

  it('leaves the heap to V8 below the bound', async () => {
    let collections = 0;
    await catchUp(await logOf(30), { boundBytes: 2 ** 50, collect: () => (collections += 1) });
    expect(collections).toBe(0);
  });
});
