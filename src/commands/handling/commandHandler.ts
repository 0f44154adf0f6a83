import { randomUUID } from 'node:crypto';
import type { EventStore, ExpectedRevision, RecordedEvent } from '../../events/store/eventStore';
import { WrongExpectedRevisionError } from '../../events/store/errors';
import type { Position } from '../../events/store/position';
import { isRefusal, type Decider, type DecisionContext, type DomainEvent, type Refusal } from './decider';
import { KeyedMutex } from './keyedMutex';
import { recordedEvents } from './recordedEvents';
import { StreamStateCache, type CachedStream } from './streamStateCache';

/** Who asked, and why: recorded on every event so auditors can replay the history. */
export interface CommandMetadata {
  /** Becomes the event ids' seed: the same command id never appends twice. */
  readonly commandId: string;
  readonly commandType: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: { readonly id: string; readonly role: string };
}

export interface CommandOutcome<Event extends DomainEvent> {
  readonly events: Event[];
  readonly nextExpectedRevision: number | undefined;
  /** Where the outcome stands in $all (undefined when nothing was appended). */
  readonly position: Position | undefined;
  /** True when this command id had been handled before and this is its first outcome, replayed. */
  readonly replayed?: boolean;
}

/** The decider refused; nothing was written. */
export class CommandRefusedError extends Error {
  override readonly name = 'CommandRefusedError';
  constructor(readonly refusal: Refusal) {
    super(refusal.title);
  }
}

/** The stream kept moving under us beyond the retry budget, or a stated If-Match was stale. */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  constructor(
    readonly streamId: string,
    readonly kind: 'retries-exhausted' | 'stale-revision',
    readonly actualRevision?: number,
  ) {
    super(`stream ${streamId} changed concurrently (${kind})`);
  }
}

/** A stream as read and folded, ready for the state cache. */
const cachedStream = (
  decider: unknown,
  { state, revision, events }: { state: unknown; revision: number | undefined; events: RecordedEvent[] },
): CachedStream => ({
  decider,
  state,
  revision,
  commandIds: new Set(events.map((e) => String(e.metadata.commandId))),
});

/** An append to another stream that follows from a decision and is sent with it (`alongside`). */
export interface AppendAlongside {
  readonly streamId: string;
  readonly events: DomainEvent[];
  /** The request it records; event ids derive from its command id, as a handled command's would. */
  readonly metadata: CommandMetadata;
  readonly expectedRevision: ExpectedRevision;
  /** The stream's decider, when this process keeps its folded state: the cached view moves on with the append. */
  readonly decider?: Pick<Decider<unknown, never, DomainEvent>, 'evolve'>;
}

/** How a command is handled beyond its decision. */
export interface HandleOptions<Event extends DomainEvent> {
  /** An If-Match revision the stream must be at; checked against the stream, never a cached view. */
  readonly expectedRevision?: number;
  /**
   * Who asked for each event, when one append carries several people's requests (a group commit):
   * an event it answers for is recorded with that request's command id, actor and correlation, so
   * the history says who booked, and a retry of that request is recognised by its own command id.
   */
  readonly requestOf?: (event: Event) => CommandMetadata | undefined;
  /**
   * Appends to other streams that follow from the decision, sent after it in the same call
   * (EventStore.appendToStreams): written only with it, all or nothing on an atomic store, in
   * order after it on esdb. One round trip where there were two. A conflict on one of them is
   * handled like the stream's own: re-read, re-decide (the callback runs again on each attempt, so
   * it may read what it needs, e.g. through `view`). The outcome's position is the last stream's,
   * so an answer waiting for the read side covers them all.
   */
  readonly alongside?: (
    decision: Event[],
    ctx: DecisionContext,
  ) => readonly AppendAlongside[] | Promise<readonly AppendAlongside[]>;
}

export interface CommandHandlerOptions {
  readonly clock?: () => Date;
  readonly maxAttempts?: number;
}

/**
 * Read the stream, fold it, decide, append at the revision the decision was made on. A conflict
 * (another process wrote first) re-reads and re-decides, a bounded number of times. Commands on
 * the same stream in this process are serialised, so they do not collide with each other, and
 * the folded state is kept between them (StreamStateCache), so a hot stream is not re-read for
 * every command.
 */
export class CommandHandler {
  private readonly mutex = new KeyedMutex();
  private readonly cache = new StreamStateCache();
  private readonly clock: () => Date;
  private readonly maxAttempts: number;

  constructor(
    private readonly store: EventStore,
    options: CommandHandlerOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** The handler's clock: what command code outside a decider reads as "now" (tests move it). */
  now(): Date {
    return this.clock();
  }

  handle<State, Command, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<State, Command, Event>,
    command: Command,
    metadata: CommandMetadata,
    options: HandleOptions<Event> = {},
  ): Promise<CommandOutcome<Event>> {
    return this.mutex.run(streamId, () =>
      this.decideAndAppend(streamId, decider, command, metadata, options),
    );
  }

  /**
   * Warms the state cache for a stream a command will soon be handled on, so the read can run
   * beside other work instead of in front of the decision. Never replaces a cached entry (one
   * written by a command meanwhile is newer); a stale warm entry is caught like any other, as a
   * conflict on append.
   */
  async prefetch<State, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<State, never, Event>,
  ): Promise<void> {
    await this.view(streamId, decider);
  }

  /**
   * The stream's state as this process last wrote or read it (warming the cache as `prefetch`
   * does), with the revision it was folded at. Current for every write this process made; a write
   * by another process may be missing, so it informs a command, the command's own decision checks.
   */
  async view<State, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<State, never, Event>,
  ): Promise<{ state: State; revision: number | undefined }> {
    const cached = this.cache.get(streamId, decider);
    if (cached) return { state: cached.state as State, revision: cached.revision };
    const loaded = await this.load(streamId, decider);
    if (!this.cache.get(streamId, decider)) this.cache.set(streamId, cachedStream(decider, loaded));
    return { state: loaded.state, revision: loaded.revision };
  }

  /**
   * Would `command` be refused on this stream as it stands? Throws the refusal, appends nothing.
   * A saga asks this of its act before it reserves anything, so a request refused anyway leaves
   * the log as it found it. Only a hint: the real decision is the one made at append time.
   */
  async check<State, Command, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<State, Command, Event>,
    command: Command,
    metadata: CommandMetadata,
  ): Promise<void> {
    const current = this.cache.get(streamId, decider) ?? (await this.readIntoCache(streamId, decider));
    if (current.commandIds.has(metadata.commandId)) return;
    const decision = decider.decide(command, current.state as State, {
      now: this.clock(),
      newId: randomUUID,
    });
    if (isRefusal(decision)) throw new CommandRefusedError(decision);
  }

  /** Reads a stream and folds it: the write side's view of one aggregate. */
  async load<State, Event extends DomainEvent>(
    streamId: string,
    decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
  ): Promise<{ state: State; revision: number | undefined; events: RecordedEvent[] }> {
    const events = await this.store.readStream(streamId);
    const state = events.reduce(
      (s, e) => decider.evolve(s, { type: e.type, data: e.data } as Event),
      decider.initialState(),
    );
    return { state, revision: events.length ? events[events.length - 1]!.revision : undefined, events };
  }

  private async decideAndAppend<State, Command, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<State, Command, Event>,
    command: Command,
    metadata: CommandMetadata,
    { expectedRevision: stated, requestOf, alongside }: HandleOptions<Event>,
  ): Promise<CommandOutcome<Event>> {
    for (let attempt = 1; ; attempt++) {
      // A stated If-Match revision is checked against the stream itself, never a cached view.
      const cached = stated === undefined ? this.cache.get(streamId, decider) : undefined;
      const current = cached ?? (await this.readIntoCache(streamId, decider));
      if (current.commandIds.has(metadata.commandId))
        return this.previousOutcome(streamId, decider, metadata);
      const { revision } = current;
      if (stated !== undefined && stated !== revision) {
        throw new ConcurrencyConflictError(streamId, 'stale-revision', revision);
      }
      const ctx: DecisionContext = { now: this.clock(), newId: randomUUID };
      const decision = decider.decide(command, current.state as State, ctx);
      if (isRefusal(decision)) throw new CommandRefusedError(decision);
      if (decision.length === 0) return { events: [], nextExpectedRevision: revision, position: undefined };
      try {
        const recorded = recordedEvents(streamId, decision, metadata, ctx.now, requestOf);
        const expectedRevision: ExpectedRevision = revision ?? 'no_stream';
        const own = { streamId, events: recorded, expectedRevision };
        const result = alongside
          ? await this.appendAlongside(own, () => alongside(decision, ctx), ctx.now)
          : await this.store.append(streamId, recorded, { expectedRevision });
        this.cache.set(streamId, {
          decider,
          state: decision.reduce(decider.evolve, current.state as State),
          revision: result.nextExpectedRevision,
          commandIds: recorded.reduce(
            (ids, e) => ids.add(String(e.metadata.commandId)),
            current.commandIds.add(metadata.commandId),
          ),
        });
        return { events: decision, ...result };
      } catch (error) {
        // Whatever happened, this process's view of the stream may be stale now.
        this.cache.delete(streamId);
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (stated !== undefined)
          throw new ConcurrencyConflictError(streamId, 'stale-revision', error.actual);
        if (attempt >= this.maxAttempts) throw new ConcurrencyConflictError(streamId, 'retries-exhausted');
        // Another process won the race. Retrying at once lets the same two writers collide again
        // in lockstep; a short random pause (full jitter, growing per attempt) breaks the tie.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
      }
    }
  }

  /**
   * The decision's append first, then the ones that follow from it, in one call. The other streams
   * are decided and appended holding their own place in this process's queue (the mutex, taken in
   * name order), as if handled here: two commands of this process touching one of them wait for
   * each other instead of colliding on its revision. Their cached views are dropped after.
   */
  private async appendAlongside(
    own: { streamId: string; events: ReturnType<typeof recordedEvents>; expectedRevision: ExpectedRevision },
    follow: () => readonly AppendAlongside[] | Promise<readonly AppendAlongside[]>,
    now: Date,
  ): Promise<{ nextExpectedRevision: number; position: Position }> {
    const names = [...new Set((await follow()).map((a) => a.streamId))].filter((n) => n !== own.streamId);
    const locked = names
      .sort()
      .reduceRight<() => Promise<{ nextExpectedRevision: number; position: Position }>>(
        (inner, name) => () => this.mutex.run(name, inner),
        async () => {
          const others = (await follow()).filter((a) => a.events.length > 0);
          if (others.length === 0) return this.store.append(own.streamId, own.events, own);
          return this.appendTogether(own, others, now);
        },
      );
    return locked();
  }

  private async appendTogether(
    own: { streamId: string; events: ReturnType<typeof recordedEvents>; expectedRevision: ExpectedRevision },
    others: readonly AppendAlongside[],
    now: Date,
  ) {
    try {
      const results = await this.store.appendToStreams([
        own,
        ...others.map((a) => ({
          streamId: a.streamId,
          events: recordedEvents(a.streamId, a.events, a.metadata, now),
          expectedRevision: a.expectedRevision,
        })),
      ]);
      others.forEach((a, i) => this.moveCachedView(a, results[i + 1]!.nextExpectedRevision));
      return { nextExpectedRevision: results[0]!.nextExpectedRevision, position: results.at(-1)!.position };
    } catch (error) {
      for (const a of others) this.cache.delete(a.streamId);
      throw error;
    }
  }

  /** A cached view the append started from moves on with it; any other is dropped. */
  private moveCachedView(append: AppendAlongside, revision: number): void {
    const cached = append.decider && this.cache.get(append.streamId, append.decider);
    const from = append.expectedRevision === 'no_stream' ? undefined : append.expectedRevision;
    if (!cached || cached.revision !== from) return this.cache.delete(append.streamId);
    this.cache.set(append.streamId, {
      ...cached,
      state: append.events.reduce(append.decider!.evolve, cached.state),
      revision,
      commandIds: new Set(cached.commandIds).add(append.metadata.commandId),
    });
  }

  private async readIntoCache<State, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<State, never, Event>,
  ): Promise<CachedStream> {
    const entry = cachedStream(decider, await this.load(streamId, decider));
    this.cache.set(streamId, entry);
    return entry;
  }

  /**
   * This very command was handled before (a retry with the same Idempotency-Key, or after a crash
   * between append and answer): answer with what it did then, decide nothing again.
   */
  private async previousOutcome<State, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<State, never, Event>,
    metadata: CommandMetadata,
  ): Promise<CommandOutcome<Event>> {
    const { events, revision } = await this.load(streamId, decider);
    const applied = events.filter((e) => e.metadata.commandId === metadata.commandId);
    return {
      events: applied.map((e) => ({ type: e.type, data: e.data }) as Event),
      nextExpectedRevision: revision,
      position: applied[applied.length - 1]?.position,
      replayed: true,
    };
  }
}
