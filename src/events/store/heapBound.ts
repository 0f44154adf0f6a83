import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How much heap a long walk of the log (the read side's catch-up, verify-chain) lets garbage fill before it asks V8 for a full collection, and how.
 *
 * Why: a catch-up page (5,000 events, a read ahead and eleven read models' rows and statements) is
 * alive for the whole apply, so the young generation's scavenges promote it; V8 then lets the old
 * generation grow to about three times its live size before it next compacts. A fresh API catching
 * up 100k events held ~75 MB live but used 214 MB of heap (342 MB RSS); under `--max-old-space-size=256`
 * the same catch-up peaked at 234 MB and ran faster (a compact heap is walked faster). Node cannot
 * change that flag once running, so the bound is kept here: one full collection when the heap
 * outgrows it, measured between catch-up pages (logTail.ts) and between reads of `cli verify-chain`.
 * Never where requests are served from the same event loop at the same time: a forced full
 * collection holds it for ~50 ms.
 */
export interface HeapBoundSettings {
  /** Heap in use (bytes) past which a batch ends with a full collection; 0 turns the bound off. */
  readonly boundBytes: number;
  /** The full collection (tests give a counter). */
  readonly collect?: () => void;
}

export const DEFAULT_HEAP_BOUND_BYTES = 128 * 1024 * 1024;

/** V8's own full collection, exposed for this process (as `node --expose-gc` would). */
const fullCollection = (): (() => void) | undefined => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
};

let sharedCollection: (() => void) | undefined | null = null;
const collection = () =>
  sharedCollection === null ? (sharedCollection = fullCollection()) : sharedCollection;

const heapUsed = (): number => getHeapStatistics().used_heap_size;

/** Checked after each batch: collects when the heap in use passed the limit. */
export const heapBound = ({ boundBytes, collect }: HeapBoundSettings): (() => boolean) => {
  let limit = boundBytes;
  return () => {
    if (boundBytes <= 0 || heapUsed() < limit) return false;
    const run = collect ?? collection();
    if (!run) return false;
    run();
    // A live set near the bound would collect after every batch: leave it half a bound of room.
    limit = Math.max(boundBytes, heapUsed() + boundBytes / 2);
    return true;
  };
};
