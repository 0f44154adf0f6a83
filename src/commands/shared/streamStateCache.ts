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
  private readonly entries = new Map<string, CachedStream>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string, decider: unknown): CachedStream | undefined {
    const entry = this.entries.get(streamId);
    if (!entry || entry.decider !== decider) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry;
  }

  set(streamId: string, entry: CachedStream): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}
