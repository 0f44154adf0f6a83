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
import { WrongExpectedRevisionError } from '../errors';
import { comparePositions, START, type Position } from '../position';
import { pollingSubscription } from '../pollingSubscription';
import { Wakeup } from '../wakeup';
import { chainHash, contentDigest, GENESIS_HASH } from '../hashChain';
import { isRetryOf, lastRevisionOf, refuseRepeatedStreams, violatesExpectation } from '../expectedRevision';

/** For fast unit tests only: nothing survives the process, and there is one writer at a time. */
export class MemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly appended = new Wakeup();

  readonly multiStreamAppends = 'atomic' as const;

  async append(
    streamId: string,
    events: readonly NewEvent[],
    { expectedRevision = 'any' }: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const step = this.plan({ streamId, events, expectedRevision });
    return step.retried ?? this.write(step.append);
  }

  /** Every stream checked before any is written: all or nothing. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    refuseRepeatedStreams(appends);
    const planned = appends.map((a) => this.plan(a));
    const results: AppendResult[] = [];
    for (const step of planned) results.push(step.retried ?? (await this.write(step.append)));
    return results;
  }

  /** The original outcome of a retry, or nothing to answer yet; throws when not as expected. */
  private plan(append: StreamAppend): { append: StreamAppend; retried?: AppendResult } {
    const { streamId, events, expectedRevision = 'any' } = append;
    const stream = this.streams.get(streamId) ?? [];
    const retried = isRetryOf(stream, events);
    if (retried)
      return { append, retried: { nextExpectedRevision: retried.revision, position: retried.position } };
    const actual = lastRevisionOf(stream);
    if (violatesExpectation(expectedRevision, actual)) {
      throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
    }
    return { append };
  }

  private async write({ streamId, events }: StreamAppend): Promise<AppendResult> {
    const stream = this.streams.get(streamId) ?? [];
    const actual = lastRevisionOf(stream);
    const createdAt = new Date();
    let previousHash = stream[stream.length - 1]?.hash ?? GENESIS_HASH;
    const recorded = events.map((e, i): RecordedEvent => {
      const n = BigInt(this.log.length + i);
      const revision = stream.length + i;
      const metadata = structuredClone(e.metadata ?? {});
      previousHash = chainHash(
        previousHash,
        revision,
        contentDigest({ streamId, id: e.id, type: e.type, data: e.data, metadata }),
      );
      return {
        id: e.id,
        streamId,
        revision,
        position: { commit: n, prepare: n },
        type: e.type,
        data: structuredClone(e.data),
        metadata,
        createdAt,
        hash: previousHash,
      };
    });
    this.streams.set(streamId, [...stream, ...recorded]);
    this.log.push(...recorded);
    this.appended.notify();
    const last = recorded[recorded.length - 1];
    return {
      nextExpectedRevision: last?.revision ?? actual ?? -1,
      position: last?.position ?? (await this.headPosition()),
    };
  }

  async readStream(
    streamId: string,
    { direction = 'forwards', fromRevision, maxCount = Number.MAX_SAFE_INTEGER }: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId) ?? [];
    if (direction === 'forwards') {
      return stream.filter((e) => e.revision >= (fromRevision ?? 0)).slice(0, maxCount);
    }
    return stream
      .filter((e) => e.revision <= (fromRevision ?? Number.MAX_SAFE_INTEGER))
      .reverse()
      .slice(0, maxCount);
  }

  async readAll({ after = START, maxCount = 1000 }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = this.log.findIndex((e) => comparePositions(e.position, after) > 0);
    return from < 0 ? [] : this.log.slice(from, from + maxCount);
  }

  subscribeToAll({ after }: { after?: Position } = {}): AllSubscription {
    return pollingSubscription(
      {
        readPage: (from, maxCount) => this.readAll({ after: from, maxCount }),
        waitForMore: (_cursor, signal) => this.appended.wait(1000, signal),
      },
      after,
    );
  }

  async headPosition(): Promise<Position> {
    return this.log[this.log.length - 1]?.position ?? START;
  }

  /** Nothing is ever hidden here: the newest event is the head. */
  newestPosition(): Promise<Position> {
    return this.headPosition();
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.appended.notify();
  }
}
