import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START as ESDB_START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type ReadPosition,
  type ResolvedEvent,
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
  StreamAppend,
} from '../eventStore';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import { comparePositions, START, type Position } from '../position';
import {
  DEFAULT_LIVENESS_INTERVAL_MS,
  defaultLivenessLogger,
  withLiveness,
  type LivenessLogger,
  type LivenessOptions,
} from '../subscriptionLiveness';
import { isStart, isSystemEvent, positionOf, toEsdbPosition, toRecorded } from './recordedEvent';
import { translate } from './esdbErrors';
import {
  chainedEvents,
  chainStart,
  MAX_CHAIN_ATTEMPTS,
  toExpected,
  type ChainStart,
} from './esdbAppendChain';
import { subscribeToAllOnce } from './esdbAllSubscription';
import { refuseRepeatedStreams } from '../expectedRevision';

/** Raw `$all` records read per round trip when skipping system events to find one of ours. */
const SCAN_PAGE = 64;
const MAX_READ_PAGE = 4096;
const PING_TIMEOUT_MS = 5000;
/** Events asked of the server per stream read. */
const READ_STREAM_PAGE = 500;

type StreamReadFrom = typeof ESDB_START | typeof END | bigint;

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

  /**
   * One append after another, in the given order, stopping at the first that fails: client 6.2.1
   * has no multi-stream append, and the product runs on servers without one (docs/architecture.md,
   * "Deliberate choices"). So exactly what separate appends in that order did, nothing more.
   */
  readonly multiStreamAppends = 'in-order' as const;

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    refuseRepeatedStreams(appends);
    const results: AppendResult[] = [];
    for (const { streamId, events, expectedRevision } of appends)
      results.push(await this.append(streamId, events, { expectedRevision }));
    return results;
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
      const start = await chainStart((id, o) => this.readStream(id, o), streamId, expectedRevision, events);
      try {
        return await this.appendChained(streamId, events, start, expectedRevision);
      } catch (error) {
        const retry =
          pinsItself && error instanceof WrongExpectedRevisionError && attempt < MAX_CHAIN_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  }

  private async appendChained(
    streamId: string,
    events: readonly NewEvent[],
    start: ChainStart,
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const chained = chainedEvents(streamId, events, start);
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
      (from) => subscribeToAllOnce(this.client, from, this.subscriptions),
      () => this.headPosition(),
      after,
      this.liveness,
    );
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
