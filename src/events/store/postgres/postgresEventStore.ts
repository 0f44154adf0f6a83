import pg from 'pg';
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
import { pollingSubscription } from '../pollingSubscription';
import { Wakeup } from '../wakeup';
import {
  DEFAULT_LIVENESS_INTERVAL_MS,
  defaultLivenessLogger,
  withLiveness,
  type LivenessLogger,
} from '../subscriptionLiveness';
import { contentDigest } from '../hashChain';
import { APPEND_TO_STREAM, APPEND_TO_STREAMS } from './sql/appendToStream';
import { MicroBatcher, type BatchAnswers } from '../microBatcher';
import { FIND_RETRIED_APPEND } from './sql/findRetriedAppend';
import {
  HEAD_POSITION,
  NEWEST_POSITION,
  READ_ALL,
  READ_STREAMS,
  READ_STREAM_BACKWARDS,
  READ_STREAM_FORWARDS,
} from './sql/readStream';
import { isConnectionError } from './postgresErrors';
import { toRecorded, type EventRow } from './eventRow';

interface AppendRow {
  outcome: 'appended' | 'duplicate' | 'conflict';
  last_revision: string | null;
  transaction_id: string | null;
  global_position: string | null;
}

const EVENTS_CHANNEL = 'arcfit_events';

const STATEMENT_NAMES = new Map([
  [APPEND_TO_STREAM, 'arcfit_append_to_stream'],
  [READ_STREAM_FORWARDS, 'arcfit_read_stream_forwards'],
  [READ_STREAM_BACKWARDS, 'arcfit_read_stream_backwards'],
  [READ_ALL, 'arcfit_read_all'],
  [HEAD_POSITION, 'arcfit_head_position'],
  [NEWEST_POSITION, 'arcfit_newest_position'],
  [READ_STREAMS, 'arcfit_read_streams'],
  [APPEND_TO_STREAMS, 'arcfit_append_to_streams'],
]);

/** The longest a subscriber waits before looking again for a committed append still hidden. */
const HIDDEN_RETRY_MAX_MS = 16;

export interface PostgresEventStoreOptions {
  /** Safety net under NOTIFY: a subscriber looks again at least this often. */
  pollIntervalMs?: number;
  /**
   * Concurrent whole-stream reads and appends go to the database together (see microBatcher.ts);
   * false sends each on its own. Default true.
   */
  coalesce?: boolean;
  /** See subscriptionLiveness.ts; default DEFAULT_LIVENESS_INTERVAL_MS. */
  livenessIntervalMs?: number;
  logger?: LivenessLogger;
}

/** One append as APPEND_TO_STREAM(S) take it: data and metadata already JSON text. */
interface PendingAppend {
  readonly streamId: string;
  readonly expected: string;
  readonly ids: string[];
  readonly types: string[];
  readonly data: string[];
  readonly metadata: string[];
  /** Each event's content digest, for the hash chain. */
  readonly digests: string[];
}

const pendingAppend = (
  streamId: string,
  expectedRevision: ExpectedRevision,
  events: readonly NewEvent[],
): PendingAppend => ({
  streamId,
  expected: String(expectedRevision),
  ids: events.map((e) => e.id),
  types: events.map((e) => e.type),
  data: events.map((e) => JSON.stringify(e.data)),
  metadata: events.map((e) => JSON.stringify(e.metadata ?? {})),
  digests: events.map((e) =>
    contentDigest({ streamId, id: e.id, type: e.type, data: e.data, metadata: e.metadata ?? {} }),
  ),
});

const positional = (a: PendingAppend): unknown[] => [
  a.streamId,
  a.expected,
  a.ids,
  a.types,
  a.data,
  a.metadata,
  a.digests,
];

/** APPEND_TO_STREAM's parameters; each event's content digest travels with it for the hash chain. */
export const appendParams = (
  streamId: string,
  expectedRevision: ExpectedRevision,
  events: readonly NewEvent[],
): unknown[] => positional(pendingAppend(streamId, expectedRevision, events));

/** Byte order, like PostgreSQL's "C" collation: a stable lock order whatever the locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** xid8 has no negative values; START reads as "before transaction 0". */
const positionParams = (p: Position): [string, string] => [
  (p.commit < 0n ? 0n : p.commit).toString(),
  (p.prepare < 0n ? 0n : p.prepare).toString(),
];

export class PostgresEventStore implements EventStore {
  private readonly appended = new Wakeup();
  private listener: pg.Client | undefined;
  private listening: Promise<void> | undefined;
  /** The newest transaction a NOTIFY told us committed; readers behind it look again soon. */
  private newestNotifiedCommit = 0n;
  private newestAnnounced = 0n;
  private lastSentAnnouncement = 0n;
  private announcing: Promise<void> | undefined;
  private closed = false;
  private readonly streamReads = new MicroBatcher<string, RecordedEvent[]>((ids) => this.readStreams(ids));
  private readonly appends = new MicroBatcher<PendingAppend, AppendRow>((batch) => this.appendMany(batch));
  private readonly pageReads = new MicroBatcher<{ after: Position; maxCount: number }, RecordedEvent[]>(
    (asks) => this.readPages(asks),
  );

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {}

  async append(
    streamId: string,
    events: readonly NewEvent[],
    { expectedRevision = 'any' }: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const request = pendingAppend(streamId, expectedRevision, events);
    const pending = this.options.coalesce === false ? this.appendOnce(request) : this.appends.submit(request);
    const row = await pending.catch(async (error: unknown) => {
      // A retry under 'any' (or two copies of one append racing) hits the event id's unique
      // index: if the ids are this stream's events, in order, answer with the original outcome.
      if ((error as { constraint?: string }).constraint !== 'events_event_id_unique') throw error;
      const original = await this.findRetriedAppend(streamId, events);
      if (!original) throw error;
      return original;
    });
    if (row.outcome === 'conflict') {
      throw new WrongExpectedRevisionError(
        streamId,
        expectedRevision,
        row.last_revision === null ? undefined : Number(row.last_revision),
      );
    }
    const position = { commit: BigInt(row.transaction_id!), prepare: BigInt(row.global_position!) };
    if (row.outcome === 'appended') this.announce(position.commit);
    return { nextExpectedRevision: Number(row.last_revision), position };
  }

  /**
   * Wakes this process's subscribers at once and other processes through NOTIFY. NOTIFY runs
   * outside the append, one at a time per process, carrying the newest commit seen: appends
   * never queue on NOTIFY's commit lock, and a burst of appends costs one or two NOTIFYs.
   */
  private announce(commit: bigint): void {
    if (commit > this.newestNotifiedCommit) this.newestNotifiedCommit = commit;
    this.appended.notify();
    if (commit > this.newestAnnounced) this.newestAnnounced = commit;
    if (this.announcing) return;
    this.announcing = (async () => {
      while (this.newestAnnounced > this.lastSentAnnouncement && !this.closed) {
        const sending = this.newestAnnounced;
        await this.pool
          .query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, sending.toString()])
          .catch(() => undefined);
        this.lastSentAnnouncement = sending;
      }
    })().finally(() => {
      this.announcing = undefined;
    });
  }

  private async findRetriedAppend(
    streamId: string,
    events: readonly NewEvent[],
  ): Promise<AppendRow | undefined> {
    const rows = await this.query<{
      event_id: string;
      stream_position: string;
      commit_position: string;
      global_position: string;
    }>(FIND_RETRIED_APPEND, [streamId, events.map((e) => e.id)]);
    const inOrder = rows.every(
      (r, i) =>
        r.event_id === events[i]?.id &&
        (i === 0 || Number(r.stream_position) === Number(rows[i - 1]!.stream_position) + 1),
    );
    if (rows.length !== events.length || !inOrder) return undefined;
    const last = rows[rows.length - 1]!;
    return {
      outcome: 'duplicate',
      last_revision: last.stream_position,
      transaction_id: last.commit_position,
      global_position: last.global_position,
    };
  }

  private async appendOnce(request: PendingAppend): Promise<AppendRow> {
    const [row] = await this.query<AppendRow>(APPEND_TO_STREAM, positional(request));
    return row!;
  }

  /**
   * Appends that arrived together, in one statement (APPEND_TO_STREAMS), each decided on its own.
   * If the statement fails as a whole (a retried append hitting the event-id index, a deadlock
   * with another process) it wrote nothing, so each append is then sent alone to get its own
   * answer; only a lost connection is everyone's answer.
   */
  private async appendMany(batch: readonly PendingAppend[]): Promise<BatchAnswers<AppendRow>> {
    const each = () =>
      Promise.all(
        batch.map((a) =>
          this.appendOnce(a).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          ),
        ),
      );
    if (batch.length === 1) return each();
    const order = batch.map((_, i) => i).sort((a, b) => compareText(batch[a]!.streamId, batch[b]!.streamId));
    const document = order.map((i) => {
      const a = batch[i]!;
      // data and metadata are JSON text already: spliced in, not parsed and written again.
      return `{"stream":${JSON.stringify(a.streamId)},"expected":${JSON.stringify(a.expected)},"ids":${JSON.stringify(a.ids)},"types":${JSON.stringify(a.types)},"data":[${a.data.join(',')}],"metadata":[${a.metadata.join(',')}],"digests":${JSON.stringify(a.digests)}}`;
    });
    let rows: Array<AppendRow & { ord: string }>;
    try {
      rows = await this.query(APPEND_TO_STREAMS, [`[${document.join(',')}]`]);
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) throw error;
      return each();
    }
    const answers: Array<{ ok: true; value: AppendRow }> = new Array(batch.length);
    for (const row of rows) answers[order[Number(row.ord) - 1]!] = { ok: true, value: row };
    return answers;
  }

  async readStream(
    streamId: string,
    { direction = 'forwards', fromRevision, maxCount = 2 ** 31 - 1 }: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    // A whole stream (what a command handler folds) may share a round trip with others.
    const whole = direction === 'forwards' && !fromRevision && maxCount === 2 ** 31 - 1;
    if (whole && this.options.coalesce !== false) return this.streamReads.submit(streamId);
    const [sql, from] =
      direction === 'forwards'
        ? [READ_STREAM_FORWARDS, fromRevision ?? 0]
        : [READ_STREAM_BACKWARDS, fromRevision ?? Number.MAX_SAFE_INTEGER];
    return (await this.query<EventRow>(sql, [streamId, from, maxCount])).map(toRecorded);
  }

  /** Whole streams read together (READ_STREAMS): one query, split by stream. */
  private async readStreams(streamIds: readonly string[]): Promise<BatchAnswers<RecordedEvent[]>> {
    const unique = [...new Set(streamIds)];
    const rows =
      unique.length === 1
        ? await this.query<EventRow>(READ_STREAM_FORWARDS, [unique[0], 0, 2 ** 31 - 1])
        : await this.query<EventRow>(READ_STREAMS, [unique]);
    const byStream = new Map<string, RecordedEvent[]>();
    for (const row of rows) {
      const events = byStream.get(row.stream_id);
      if (events) events.push(toRecorded(row));
      else byStream.set(row.stream_id, [toRecorded(row)]);
    }
    // Each caller gets its own array (two callers may ask for one stream in the same batch).
    const given = new Set<string>();
    return streamIds.map((id) => {
      const events = byStream.get(id) ?? [];
      const value = given.has(id) ? [...events] : events;
      given.add(id);
      return { ok: true as const, value };
    });
  }

  async readAll({ after = START, maxCount = 1000 }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (this.options.coalesce === false) return this.readPage(after, maxCount);
    return this.pageReads.submit({ after, maxCount });
  }

  private async readPage(after: Position, maxCount: number): Promise<RecordedEvent[]> {
    return (await this.query<EventRow>(READ_ALL, [...positionParams(after), maxCount])).map(toRecorded);
  }

  /**
   * Identical page reads asked together are read once. Why: every read model follows `$all` on
   * its own, and once caught up they all ask for the page after the same head, at each append.
   */
  private async readPages(
    asks: readonly { after: Position; maxCount: number }[],
  ): Promise<BatchAnswers<RecordedEvent[]>> {
    const pages = new Map<string, Promise<RecordedEvent[]>>();
    return Promise.all(
      asks.map(async ({ after, maxCount }) => {
        const key = `${after.commit}/${after.prepare}/${maxCount}`;
        const shared = pages.get(key);
        const page = shared ?? this.readPage(after, maxCount);
        if (!shared) pages.set(key, page);
        try {
          // Each caller its own array; the events themselves are never changed by readers.
          return { ok: true as const, value: shared ? [...(await page)] : await page };
        } catch (error) {
          return { ok: false as const, error };
        }
      }),
    );
  }

  /** Polling `$all`, reopened from the last delivered event if it goes silent (a hung query). */
  subscribeToAll({ after }: { after?: Position } = {}): AllSubscription {
    return withLiveness(
      (from) => this.subscribeOnce(from),
      () => this.headPosition(),
      after,
      {
        store: 'postgres',
        intervalMs: this.options.livenessIntervalMs ?? DEFAULT_LIVENESS_INTERVAL_MS,
        logger: this.options.logger ?? defaultLivenessLogger(),
      },
    );
  }

  private subscribeOnce(after: Position | undefined): AllSubscription {
    void this.listen();
    const pollIntervalMs = this.options.pollIntervalMs ?? 1000;
    let backoffMs = 1;
    let hiddenAfter: Position | undefined;
    return pollingSubscription(
      {
        readPage: (from, maxCount) => this.readAll({ after: from, maxCount }),
        waitForMore: async (cursor, signal) => {
          if (this.newestNotifiedCommit > cursor.commit) {
            // Committed, but an older transaction still running hides it: look again shortly,
            // a little later each time while it stays hidden, never longer than HIDDEN_RETRY_MAX_MS.
            // Why the cap: the hiding transaction is a short write (an append, a read model's
            // batch) whose end wakes nobody. The backoff used to grow to the poll interval under
            // steady load (each wait cut short by the next append) and stay there, so an event
            // hidden just as the appends stopped could wait that whole interval to be seen.
            backoffMs =
              hiddenAfter && comparePositions(hiddenAfter, cursor) === 0
                ? Math.min(backoffMs * 2, HIDDEN_RETRY_MAX_MS)
                : 1;
            hiddenAfter = cursor;
            return this.appended.wait(backoffMs, signal);
          }
          hiddenAfter = undefined;
          return this.appended.wait(pollIntervalMs, signal);
        },
      },
      after,
    );
  }

  async headPosition(): Promise<Position> {
    return this.positionOf(HEAD_POSITION);
  }

  async newestPosition(): Promise<Position> {
    return this.positionOf(NEWEST_POSITION);
  }

  private async positionOf(sql: string): Promise<Position> {
    const [row] = await this.query<{ commit_position: string; global_position: string }>(sql, []);
    return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) } : START;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.announcing;
    this.appended.notify();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /** One LISTEN connection per store, opened on first subscribe and reopened if it drops. */
  private listen(): Promise<void> {
    this.listening ??= (async () => {
      while (!this.closed) {
        const client = new pg.Client(this.pool.options);
        // Errors end the loop below (the 'ended' promise); an unheard one would crash the process
        // when the server shuts down first.
        client.on('error', () => undefined);
        try {
          await client.connect();
          client.on('notification', (message) => {
            const commit = message.payload ? BigInt(message.payload) : 0n;
            if (commit > this.newestNotifiedCommit) this.newestNotifiedCommit = commit;
            this.appended.notify();
          });
          await client.query(`LISTEN ${EVENTS_CHANNEL}`);
          const ended = new Promise<void>((resolve) => {
            client.once('error', () => resolve());
            client.once('end', () => resolve());
          });
          this.listener = client;
          if (this.closed) await client.end();
          await ended;
        } catch {
          // Polling keeps subscribers going while the wake-up channel is down.
        }
        await client.end().catch(() => undefined);
        if (!this.closed) await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    return this.listening;
  }

  /**
   * Named, so each connection parses and plans a statement once (node-pg prepares it on first
   * use): on the append path that alone moved appends from ~0.65 to ~0.75 of a plain INSERT.
   */
  private async query<R extends object>(sql: string, params: unknown[]): Promise<R[]> {
    try {
      const name = STATEMENT_NAMES.get(sql);
      return (
        await this.pool.query<R & pg.QueryResultRow>(
          name ? { name, text: sql, values: params } : { text: sql, values: params },
        )
      ).rows;
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): unknown {
    if (isConnectionError(error)) {
      return new EventStoreUnavailableError('event store (postgres) unavailable', { cause: error });
    }
    return error;
  }
}
