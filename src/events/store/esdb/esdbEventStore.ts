import {
  ANY,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  NotLeaderError,
  START as ESDB_START,
  STREAM_EXISTS,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type JSONType,
  type ReadPosition,
  type ResolvedEvent,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
import type {
  AllSubscription,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../eventStore';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import { comparePositions, START, type Position } from '../position';
import { chainHash, contentDigest, GENESIS_HASH } from '../hashChain';
import {
  DEFAULT_LIVENESS_INTERVAL_MS,
  defaultLivenessLogger,
  withLiveness,
  type LivenessLogger,
  type LivenessOptions,
} from '../subscriptionLiveness';
import { CHAIN_HASH_KEY, isSystemEvent, positionOf, toRecorded } from './recordedEvent';

/** gRPC status codes that mean "the server could not be reached or gave up", not "you asked wrong". */
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/** Raw `$all` records read per round trip when skipping system events to find one of ours. */
const SCAN_PAGE = 64;
const MAX_READ_PAGE = 4096;
const PING_TIMEOUT_MS = 5000;
/** Events asked of the server per stream read. */
const READ_STREAM_PAGE = 500;

type StreamReadFrom = typeof ESDB_START | typeof END | bigint;

const toExpected = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
};

const isStart = (p: Position): boolean => comparePositions(p, START) <= 0;

const toEsdbPosition = (p: Position): EsdbPosition => ({ commit: p.commit, prepare: p.prepare });

/** How often an append made with 'any' re-reads the stream tip when another writer moved it. */
const MAX_CHAIN_ATTEMPTS = 50;

/** Where an append's chain starts: the revision it is pinned to and the hash it links to. */
interface ChainStart {
  readonly expected: ExpectedRevision;
  readonly previousHash: string;
  readonly firstRevision: number;
}

const isUnavailable = (error: unknown): boolean => {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return true;
  }
  // Errors a call emits before the client converts them (e.g. on an append's request stream).
  const code = (error as { code?: unknown } | null)?.code;
  return code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED || code === GRPC_CANCELLED;
};

const translate = (error: unknown): unknown =>
  isUnavailable(error)
    ? new EventStoreUnavailableError('event store (esdb) unavailable', { cause: error })
    : error;

export interface EsdbEventStoreOptions {
  /** See subscriptionLiveness.ts; default DEFAULT_LIVENESS_INTERVAL_MS. */
  livenessIntervalMs?: number;
  logger?: LivenessLogger;
}

/**
 * The port over EventStoreDB / KurrentDB. ESDB appends atomically in log order, so `$all` never
 * shows a later event before an earlier one and its native subscription can be used directly.
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<AllSubscription>();

  private readonly liveness: LivenessOptions;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.liveness = {
      store: 'esdb',
      intervalMs: options.livenessIntervalMs ?? DEFAULT_LIVENESS_INTERVAL_MS,
      logger: options.logger ?? defaultLivenessLogger(),
    };
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    { expectedRevision = 'any' }: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    // 'any' and 'stream_exists' are pinned to the tip the chain links to; when another writer
    // moves the tip first, re-read and re-chain, as the caller asked for no particular revision.
    const pinsItself = expectedRevision === 'any' || expectedRevision === 'stream_exists';
    for (let attempt = 1; ; attempt++) {
      const start = await this.chainStart(streamId, expectedRevision, events);
      try {
        return await this.appendChained(streamId, events, start, expectedRevision);
      } catch (error) {
        const retry =
          pinsItself && error instanceof WrongExpectedRevisionError && attempt < MAX_CHAIN_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  }

  private async chainStart(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly NewEvent[],
  ): Promise<ChainStart> {
    const genesis: ChainStart = { expected: 'no_stream', previousHash: GENESIS_HASH, firstRevision: 0 };
    if (expected === 'no_stream') return genesis;
    if (typeof expected === 'number') {
      const [at] = await this.readStream(streamId, { fromRevision: expected, maxCount: 1 });
      return { expected, previousHash: at?.hash ?? GENESIS_HASH, firstRevision: expected + 1 };
    }
    const recent = await this.readStream(streamId, { direction: 'backwards', maxCount: events.length + 64 });
    const tip = recent[0];
    if (!tip) {
      if (expected === 'stream_exists') throw new WrongExpectedRevisionError(streamId, expected, undefined);
      return genesis;
    }
    // A retry of an append that already landed: chain it exactly as then, and ESDB, seeing the
    // same ids at the same revision, answers with the original outcome instead of writing again.
    const retried = recent.find((e) => e.id === events[0]!.id);
    const before = retried ? recent.find((e) => e.revision === retried.revision - 1) : tip;
    if (retried && retried.revision === 0) return genesis;
    if (!before)
      return {
        expected: tip.revision,
        previousHash: tip.hash ?? GENESIS_HASH,
        firstRevision: tip.revision + 1,
      };
    return {
      expected: before.revision,
      previousHash: before.hash ?? GENESIS_HASH,
      firstRevision: before.revision + 1,
    };
  }

  private async appendChained(
    streamId: string,
    events: readonly NewEvent[],
    start: ChainStart,
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    let previous = start.previousHash;
    const chained = events.map((e, i) => {
      const metadata = e.metadata ?? {};
      previous = chainHash(
        previous,
        start.firstRevision + i,
        contentDigest({ streamId, id: e.id, type: e.type, data: e.data, metadata }),
      );
      return jsonEvent({
        id: e.id,
        type: e.type,
        data: e.data as JSONType,
        metadata: { ...metadata, [CHAIN_HASH_KEY]: previous },
      });
    });
    let result;
    try {
      result = await this.client.appendToStream(streamId, chained, {
        expectedRevision: toExpected(start.expected),
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedRevisionError(
          streamId,
          expectedRevision,
          typeof actual === 'bigint' ? Number(actual) : undefined,
        );
      }
      throw translate(error);
    }
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    // An idempotent retry is answered without a position by some server versions: look it up.
    const position = result.position
      ? { commit: result.position.commit, prepare: result.position.prepare }
      : await this.positionOfRevision(streamId, nextExpectedRevision);
    return { nextExpectedRevision, position };
  }

  /**
   * In pages of READ_STREAM_PAGE: the client buffers a read's whole answer, so one unbounded
   * read of a long stream would hold all of it in memory at once, on both sides.
   */
  async readStream(
    streamId: string,
    { direction = 'forwards', fromRevision, maxCount = Number.MAX_SAFE_INTEGER }: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    if (maxCount <= 0) return [];
    if (fromRevision !== undefined && fromRevision < 0) {
      if (direction === 'backwards') return [];
      fromRevision = undefined;
    }
    const forwards = direction === 'forwards';
    const out: RecordedEvent[] = [];
    let from: StreamReadFrom =
      fromRevision === undefined ? (forwards ? ESDB_START : END) : BigInt(fromRevision);
    for (;;) {
      const pageSize = Math.min(maxCount - out.length, READ_STREAM_PAGE);
      const page = await this.readStreamPage(streamId, forwards, from, pageSize);
      if (page === undefined) return out;
      for (const r of page) if (r.event) out.push(toRecorded(r.event));
      const last = page[page.length - 1]?.event?.revision;
      // A short page is the stream's edge; backwards, revision 0 is too.
      if (page.length < pageSize || out.length >= maxCount || last === undefined) return out;
      if (!forwards && last === 0n) return out;
      from = forwards ? last + 1n : last - 1n;
    }
  }

  /** One page of a stream read; `undefined` when the stream does not exist (any more). */
  private async readStreamPage(
    streamId: string,
    forwards: boolean,
    fromRevision: StreamReadFrom,
    maxCount: number,
  ): Promise<ResolvedEvent[] | undefined> {
    try {
      return await this.collect(
        this.client.readStream(streamId, {
          direction: forwards ? FORWARDS : BACKWARDS,
          fromRevision,
          maxCount,
        }),
      );
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw translate(error);
    }
  }

  /**
   * ESDB reads `$all` forwards *from* a position, inclusive, and keeps its own system events
   * there; the port wants strictly after, ours only. So: read a page, drop the event at the
   * cursor and system events, and go on until `maxCount` of ours or the end.
   */
  async readAll({ after = START, maxCount = 1000 }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    if (maxCount <= 0) return out;
    let cursor: Position | undefined = isStart(after) ? undefined : after;
    for (;;) {
      const pageSize = Math.min(maxCount - out.length + 1, MAX_READ_PAGE);
      const page = await this.readAllPage(cursor ? toEsdbPosition(cursor) : ESDB_START, FORWARDS, pageSize);
      let last = cursor;
      for (const { event } of page) {
        if (!event) continue;
        const position = positionOf(event);
        if (cursor && comparePositions(position, cursor) <= 0) continue;
        last = position;
        if (isSystemEvent(event)) continue;
        out.push(toRecorded(event));
        if (out.length === maxCount) return out;
      }
      if (page.length < pageSize || last === cursor) return out;
      cursor = last;
    }
  }

  /** The native subscription, reopened from the last delivered event if it goes silent. */
  subscribeToAll({ after }: { after?: Position } = {}): AllSubscription {
    return withLiveness(
      (from) => this.subscribeOnce(from),
      () => this.headPosition(),
      after,
      this.liveness,
    );
  }

  private subscribeOnce(after: Position | undefined): AllSubscription {
    const from = after && !isStart(after) ? after : undefined;
    const subscription = this.client.subscribeToAll({
      fromPosition: from ? toEsdbPosition(from) : ESDB_START,
      filter: excludeSystemEvents(),
    });
    // The client emits server errors as 'error' events and then ends the stream normally; keep
    // the error so the iteration can throw it instead of looking like a clean close.
    let failure: unknown;
    subscription.on('error', (error: unknown) => {
      failure ??= error;
    });
    let closed = false;
    const subscriptions = this.subscriptions;

    async function* events(): AsyncGenerator<RecordedEvent> {
      try {
        for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
          if (closed) return;
          const event = resolved.event;
          if (!event || isSystemEvent(event)) continue;
          // Subscriptions start after the position already; this guards the port's promise.
          if (from && comparePositions(positionOf(event), from) <= 0) continue;
          yield toRecorded(event);
        }
        if (closed) return;
        // Only close() ends a subscription; the server ending it is a failure to report.
        throw failure ?? new EventStoreUnavailableError('event store (esdb) ended the subscription');
      } catch (error) {
        if (closed) return;
        throw translate(error);
      } finally {
        await handle.close();
      }
    }

    const iterator = events();
    const handle: AllSubscription = {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        if (closed) return;
        closed = true;
        subscriptions.delete(handle);
        await subscription.unsubscribe().catch(() => undefined);
        subscription.destroy();
      },
    };
    subscriptions.add(handle);
    return handle;
  }

  async headPosition(): Promise<Position> {
    let cursor: Position | undefined;
    for (;;) {
      const page = await this.readAllPage(cursor ? toEsdbPosition(cursor) : END, BACKWARDS, SCAN_PAGE);
      let last = cursor;
      for (const { event } of page) {
        if (!event) continue;
        const position = positionOf(event);
        if (cursor && comparePositions(position, cursor) >= 0) continue;
        if (!isSystemEvent(event)) return position;
        last = position;
      }
      if (page.length < SCAN_PAGE || last === cursor) return START;
      cursor = last;
    }
  }

  /**
   * EventStoreDB shows every committed event to readers at once: the newest is the head (usually
   * one backward page of `$all`).
   */
  newestPosition(): Promise<Position> {
    return this.headPosition();
  }

  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void read.cancel().catch(() => undefined);
        reject(
          new EventStoreUnavailableError(`event store (esdb) did not answer within ${PING_TIMEOUT_MS} ms`),
        );
      }, PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.collect(read), timeout]);
    } catch (error) {
      throw error instanceof EventStoreUnavailableError
        ? error
        : new EventStoreUnavailableError('event store (esdb) unavailable', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private async readAllPage(
    fromPosition: ReadPosition,
    direction: typeof FORWARDS | typeof BACKWARDS,
    maxCount: number,
  ): Promise<AllStreamResolvedEvent[]> {
    try {
      return await this.collect(this.client.readAll({ fromPosition, direction, maxCount }));
    } catch (error) {
      throw translate(error);
    }
  }

  private async positionOfRevision(streamId: string, revision: number): Promise<Position> {
    const [event] = await this.readStream(streamId, {
      direction: 'backwards',
      fromRevision: revision,
      maxCount: 1,
    });
    return event?.position ?? (await this.headPosition());
  }

  private async collect<E extends ResolvedEvent | AllStreamResolvedEvent>(
    read: AsyncIterable<E>,
  ): Promise<E[]> {
    const out: E[] = [];
    for await (const e of read) out.push(e);
    return out;
  }
}

/** `connectionString`: e.g. `esdb://localhost:2113?tls=false`. */
export const createEsdbEventStore = (
  connectionString: string,
  options: EsdbEventStoreOptions = {},
): EsdbEventStore => new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
