import { LRUCache } from 'lru-cache';

/** A stream's folded state as this process last wrote or read it. */
export interface CachedStream {
  readonly decider: unknown;
  readonly state: unknown;
  readonly revision: number | undefined;
  /** Commands already applied to the stream (for idempotent retries); grows in place. */
  readonly commandIds: Set<string>;
}

/**
 * Least-recently-used cache of folded streams. Safe without invalidation messages: every append
 * still carries the cached revision as its expected revision, so a write by another process
 * shows up as a conflict, and the handler then drops the entry and reads the stream again.
 */
export class StreamStateCache {
  private readonly entries: LRUCache<string, CachedStream>;

  constructor(capacity = 10_000) {
    this.entries = new LRUCache({ max: capacity });
  }

  /** The entry when it was folded by `decider`; only then does it count as used. */
  get(streamId: string, decider: unknown): CachedStream | undefined {
    if (this.entries.peek(streamId)?.decider !== decider) return undefined;
    return this.entries.get(streamId);
  }

  set(streamId: string, entry: CachedStream): void {
    this.entries.set(streamId, entry);
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}
