import type { Position } from './position';

/**
 * The event store port. Three adapters implement it (postgres, esdb, memory) and one contract
 * suite (test/events/store/eventStoreContract.ts) runs against each, so what is proven on one
 * holds on all.
 *
 * Stream revisions start at 0 for a stream's first event, as in EventStoreDB; a stream with no
 * events has no revision (`undefined`).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface EventMetadata {
  readonly [key: string]: unknown;
}

export interface NewEvent {
  /** Deterministic per command (see eventIds.ts) so a retried append is recognised, not repeated. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: Position;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly createdAt: Date;
  /** The stream's hash chain at this event (hashChain.ts); absent only on a store that keeps none. */
  readonly hash?: string;
}

export interface AppendResult {
  /** The revision of the last event now in the stream: the expected revision of the next append. */
  readonly nextExpectedRevision: number;
  /** Where the appended events stand in `$all`; a projection that has reached it has seen them. */
  readonly position: Position;
}

/** One stream's part of `appendToStreams`: its events and the revision its decision was made on. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision?: ExpectedRevision;
}

/**
 * How an adapter keeps `appendToStreams`:
 * - `atomic` (postgres, memory): every stream or none, in one transaction (postgres: one statement).
 * - `in-order` (esdb: client 6.2.1 has no multi-stream append, and we support servers without it):
 *   one append after another in the given order, stopping at the first that fails; the ones
 *   before it stay written — what separate appends in that order did, no more.
 */
export type MultiStreamAppends = 'atomic' | 'in-order';

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the first event forwards and the last event backwards. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Defaults to the beginning. */
  readonly after?: Position;
  readonly maxCount?: number;
}

export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  /** Refuses with WrongExpectedRevisionError when the stream is not as expected; writes nothing then. */
  append(
    streamId: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /**
   * Several streams, each with its own expected revision, in one call (docs/architecture.md,
   * "Event store port"). Answers one result per stream, in the given order, and the events stand
   * in `$all` in that order. A stream not as expected refuses with WrongExpectedRevisionError
   * naming it: nothing of the call is written on an `atomic` store; on an `in-order` one the
   * streams before it are. A retried call (the same event ids) answers its original outcome.
   * Put first the append the others depend on (a decision first, what follows from it after).
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Whether `appendToStreams` is all-or-nothing here (see MultiStreamAppends). */
  readonly multiStreamAppends: MultiStreamAppends;
  /** A stream that does not exist reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Committed events in commit order, never skipping one that a slower writer commits later. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up from `after`, then live; each event exactly once, in `$all` order. */
  subscribeToAll(options?: { after?: Position }): AllSubscription;
  /** The position of the last committed event readers can see (START when empty). */
  headPosition(): Promise<Position>;
  /**
   * The position of the newest committed event, even one an older transaction still hides from
   * readers (so it may lie beyond `headPosition`): no append was ever answered with a position
   * beyond it. One cheap read, to refuse a position nobody could have been given.
   */
  newestPosition(): Promise<Position>;
  /** Resolves when the store answers; rejects with EventStoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
