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
  StreamAppend,
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
import { APPEND_TO_STREAM, APPEND_TO_STREAMS, APPEND_TO_STREAM_GROUPS } from './sql/appendToStream';
import { MicroBatcher } from '../microBatcher';
import {
  HEAD_POSITION,
  NEWEST_POSITION,
  READ_ALL,
  READ_STREAMS,
  READ_STREAM_BACKWARDS,
  READ_STREAM_FORWARDS,
} from './sql/readStream';
import { isConnectionError } from './postgresErrors';
import { toRecorded, type EventRow, type StoreQuery } from './eventRow';
import { pendingAppend, type AppendRow } from './pendingAppend';
import { appendOnce, findRetriedAppend } from './appendStatements';
import { appendGroupOnce, appendGroups, type AppendGroup } from './appendGroups';
import { refuseRepeatedStreams } from '../expectedRevision';
import { readPage, readPagesOnce, readStreamsTogether } from './coalescedReads';
import { OtherListeners } from '../../otherListeners';

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
  [APPEND_TO_STREAM_GROUPS, 'arcfit_append_to_stream_groups'],
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

export class PostgresEventStore implements EventStore {
  private readonly appended = new Wakeup();
  private readonly otherListeners: OtherListeners;
  private listener: pg.Client | undefined;
  private listening: Promise<void> | undefined;
  /** The newest transaction a NOTIFY told us committed; readers behind it look again soon. */
  private newestNotifiedCommit = 0n;
  private newestAnnounced = 0n;
  private lastSentAnnouncement = 0n;
  private announcing: Promise<void> | undefined;
  private closed = false;
  private readonly streamReads = new MicroBatcher<string, RecordedEvent[]>((ids) =>
    readStreamsTogether(this.query, ids),
  );
  /** Single appends and appendToStreams' groups, coalesced alike (appendGroups.ts). */
  private readonly appends = new MicroBatcher<AppendGroup, AppendRow[]>((groups) =>
    appendGroups(this.query, groups),
  );
  private readonly pageReads = new MicroBatcher<{ after: Position; maxCount: number }, RecordedEvent[]>(
    (asks) => readPagesOnce(this.query, asks),
  );

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.otherListeners = new OtherListeners(pool);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    { expectedRevision = 'any' }: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const request = pendingAppend(streamId, expectedRevision, events);
    const pending =
      this.options.coalesce === false
        ? appendOnce(this.query, request)
        : this.appends.submit([request]).then(([row]) => row!);
    const row = await pending.catch(async (error: unknown) => {
      // A retry under 'any' (or two copies of one append racing) hits the event id's unique
      // index: if the ids are this stream's events, in order, answer with the original outcome.
      if ((error as { constraint?: string }).constraint !== 'events_event_id_unique') throw error;
      const original = await findRetriedAppend(this.query, streamId, events);
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

  /** Atomic: one statement, one transaction (append_to_stream_groups, streamGroupsMigration.ts). */
  readonly multiStreamAppends = 'atomic' as const;

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    refuseRepeatedStreams(appends);
    const group = appends.map((a) => pendingAppend(a.streamId, a.expectedRevision ?? 'any', a.events));
    const rows =
      this.options.coalesce === false
        ? await appendGroupOnce(this.query, group)
        : await this.appends.submit(group).catch((error: unknown) => {
            // A retry of one stream under 'any' (see append): alone, it finds its original.
            if ((error as { constraint?: string }).constraint !== 'events_event_id_unique') throw error;
            return appendGroupOnce(this.query, group);
          });
    const conflict = rows.findIndex((r) => r.outcome === 'conflict');
    if (conflict >= 0) {
      // Only a group of one answers a conflict as a row; a larger one raised (appendGroups.ts).
      const { last_revision } = rows[conflict]!;
      const { streamId, expectedRevision = 'any' } = appends[conflict]!;
      throw new WrongExpectedRevisionError(
        streamId,
        expectedRevision,
        last_revision === null ? undefined : Number(last_revision),
      );
    }
    return rows.map((row) => {
      const position = { commit: BigInt(row.transaction_id!), prepare: BigInt(row.global_position!) };
      if (row.outcome === 'appended') this.announce(position.commit);
      return { nextExpectedRevision: Number(row.last_revision), position };
    });
  }

  /**
   * Wakes this process's subscribers at once and other processes through NOTIFY, if another
   * process listens (otherListeners.ts). NOTIFY runs outside the append, one at a time per
   * process, carrying the newest commit seen: appends never queue on NOTIFY's commit lock, and a
   * burst of appends costs one or two NOTIFYs.
   */
  private announce(commit: bigint): void {
    if (commit > this.newestNotifiedCommit) this.newestNotifiedCommit = commit;
    this.appended.notify();
    if (commit > this.newestAnnounced) this.newestAnnounced = commit;
    if (this.announcing) return;
    this.announcing = (async () => {
      while (this.newestAnnounced > this.lastSentAnnouncement && !this.closed) {
        const sending = this.newestAnnounced;
        if (await this.otherListeners.present())
          await this.pool
            .query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, sending.toString()])
            .catch(() => undefined);
        this.lastSentAnnouncement = sending;
      }
    })().finally(() => {
      this.announcing = undefined;
    });
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

  async readAll({ after = START, maxCount = 1000 }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (this.options.coalesce === false) return readPage(this.query, after, maxCount);
    return this.pageReads.submit({ after, maxCount });
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
        // Named, so writers in other processes see someone listens (otherListeners.ts).
        const client = new pg.Client({
          ...this.pool.options,
          application_name: this.otherListeners.applicationName,
        });
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
  private readonly query: StoreQuery = async <R extends object>(
    sql: string,
    params: unknown[],
  ): Promise<R[]> => {
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
  };

  private translate(error: unknown): unknown {
    if (isConnectionError(error)) {
      return new EventStoreUnavailableError('event store (postgres) unavailable', { cause: error });
    }
    return error;
  }
}
