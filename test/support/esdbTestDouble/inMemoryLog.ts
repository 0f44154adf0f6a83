/**
 * The double's storage: one committed log, appended atomically (gRPC handlers run one at a time
 * on the event loop), with commit = prepare = a monotonic position, and a per-stream index.
 * Revisions and positions are bigints, as on the wire.
 */

export interface StoredEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  /** Both halves of the `$all` position: this log has no separate prepare/commit records. */
  readonly position: bigint;
  readonly type: string;
  readonly contentType: string;
  /** Ticks (100 ns) since the Unix epoch, as the server sends `created`. */
  readonly created: bigint;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | { readonly kind: 'written'; readonly lastRevision: bigint; readonly position: bigint }
  /** A retry of a write already in the stream: nothing written, answered like the real server. */
  | { readonly kind: 'idempotent'; readonly lastRevision: bigint }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint | undefined };

export type From = 'start' | 'end' | bigint;

const TICKS_PER_MS = 10_000n;

export class InMemoryLog {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<(event: StoredEvent) => void>();

  append(streamName: string, expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length === 0 ? undefined : BigInt(stream.length - 1);

    const retried = this.retriedWrite(stream, expected, proposed);
    if (retried !== undefined) return { kind: 'idempotent', lastRevision: retried };

    const refused =
      (expected.kind === 'no_stream' && current !== undefined) ||
      (expected.kind === 'stream_exists' && current === undefined) ||
      (expected.kind === 'revision' && current !== expected.revision);
    if (refused) return { kind: 'wrong_expected_version', currentRevision: current };

    const created = BigInt(Date.now()) * TICKS_PER_MS;
    const written = proposed.map((p, i): StoredEvent => ({
      ...p,
      streamName,
      revision: BigInt(stream.length + i),
      position: BigInt(this.log.length + i),
      created,
    }));
    this.streams.set(streamName, [...stream, ...written]);
    this.log.push(...written);
    for (const event of written) for (const listener of this.listeners) listener(event);
    const last = written[written.length - 1];
    return last
      ? { kind: 'written', lastRevision: last.revision, position: last.position }
      : { kind: 'written', lastRevision: current ?? -1n, position: BigInt(this.log.length - 1) };
  }

  /** `undefined` when the stream has no events (the server's StreamNotFound). */
  readStream(streamName: string, forwards: boolean, from: From, count: bigint): StoredEvent[] | undefined {
    const stream = this.streams.get(streamName);
    if (!stream) return undefined;
    if (forwards) {
      const start = from === 'start' ? 0n : from === 'end' ? BigInt(stream.length) : from;
      return take(stream.slice(Number(start)), count);
    }
    const end = from === 'end' ? BigInt(stream.length - 1) : from === 'start' ? -1n : from;
    return take(stream.slice(0, Number(end) + 1).reverse(), count);
  }

  /**
   * As the server reads `$all`: forwards from a position includes the event at it, backwards
   * from a position gives the events before it.
   */
  readAll(
    forwards: boolean,
    from: From,
    predicate: (e: StoredEvent) => boolean,
    count: bigint,
  ): StoredEvent[] {
    const events = forwards
      ? this.log.filter((e) => from !== 'end' && (from === 'start' || e.position >= from))
      : this.log.filter((e) => from !== 'start' && (from === 'end' || e.position < from)).reverse();
    return take(events.filter(predicate), count);
  }

  /** Events strictly after `position` (all of them when undefined): a subscription's catch-up. */
  after(position: bigint | undefined): StoredEvent[] {
    return position === undefined ? [...this.log] : this.log.filter((e) => e.position > position);
  }

  /** Called synchronously for every event appended from now on; returns the unsubscribe. */
  onAppended(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The server recognises a write whose event ids are already in the stream, in order, where
   * the expected revision puts them (anywhere, for `any`/`stream_exists`), and writes nothing.
   */
  private retriedWrite(
    stream: readonly StoredEvent[],
    expected: ExpectedState,
    proposed: readonly ProposedEvent[],
  ): bigint | undefined {
    const first = proposed[0];
    if (!first) return undefined;
    const start =
      expected.kind === 'no_stream'
        ? 0
        : expected.kind === 'revision'
          ? Number(expected.revision) + 1
          : stream.findIndex((e) => e.id === first.id);
    if (start < 0) return undefined;
    const matches = proposed.every((p, i) => stream[start + i]?.id === p.id);
    return matches ? BigInt(start + proposed.length - 1) : undefined;
  }
}

const take = <T>(items: T[], count: bigint): T[] =>
  count >= BigInt(items.length) ? items : items.slice(0, Number(count));
