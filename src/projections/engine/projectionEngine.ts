import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { EventStore } from '../../events/store/eventStore';
import { comparePositions, START, type Position } from '../../events/store/position';
import { readCheckpoints, type Checkpoint } from './checkpoints';
import { fanOut, type FanOutContext, type Lane } from './fanOut';
import { catchUpLane } from './laneCatchUp';
import { LaneGroup } from './laneGroup';
import { tailOf } from './logTail';
import { pause } from './pause';
import type { ProjectionDefinition } from './projection';
import { ProjectionRunner } from './projectionRunner';
import { createAnalystViews } from '../analytics/analystViews';

export interface RunnerOptions {
  /** Events per batch while following live appends. */
  batchSize: number;
  /**
   * Events per page and per transaction while catching up (far behind: a fresh database, a new
   * version). Default: ten live batches (5,000 at the default batch size), the page a rebuild reads.
   */
  catchUpBatchSize?: number;
  /** How long to wait for events before checking whether a rebuild has caught up. */
  idleMs: number;
  /** Pause after a failed batch (database down, handler bug) before starting again. */
  retryDelayMs: number;
  /** How long the other runners wait for one runner's batch before going on without it. */
  stallMs?: number;
  /**
   * Read models that take the tail's batches as a group of their own, at their own pace, beside
   * the rest (laneGroup.ts): the ones commands' answers wait for. Default none: one group.
   */
  answerFirst?: readonly string[];
}

export interface ProjectionLag {
  readonly name: string;
  readonly version: number;
  readonly status: Checkpoint['status'];
  readonly position: Position;
  readonly eventsApplied: number;
  /** Age of the oldest event not yet applied; 0 when caught up. */
  readonly lagSeconds: number;
  readonly caughtUp: boolean;
}

const lowest = (positions: readonly Position[]): Position =>
  positions.reduce((min, p) => (comparePositions(p, min) < 0 ? p : min), positions[0] ?? START);

/**
 * Runs every projection of this process over ONE tail of `$all` (logTail.ts), starting at the
 * lowest checkpoint, each batch handed to every runner (fanOut.ts), and reports how far behind
 * each one is. Why one tail: eleven subscriptions read and decoded (and decrypted) every event
 * eleven times, and small live batches made catching up from zero ten times slower than a rebuild.
 */
export class ProjectionEngine {
  private readonly lanes: Lane[];
  private readonly listeners = new Set<(checkpoint: Checkpoint) => void>();
  private readonly stop = new AbortController();
  private readonly settings: Required<RunnerOptions>;
  private loop: Promise<void> | undefined;
  private handedOutTo: Position = START;

  constructor(
    private readonly knex: Knex,
    private readonly store: EventStore,
    projections: readonly ProjectionDefinition[],
    private readonly log: Logger,
    options: Partial<RunnerOptions> = {},
    /**
     * Whether another process waits on checkpoint moves (OtherListeners over the waiters' LISTEN
     * connections, this process's own excluded: onAdvance wakes those). Without it, every move
     * NOTIFYs.
     */
    private readonly otherWaiters: { present(): Promise<boolean> } = { present: async () => true },
  ) {
    const batchSize = options.batchSize ?? 500;
    this.settings = {
      batchSize,
      catchUpBatchSize: options.catchUpBatchSize ?? batchSize * 10,
      idleMs: options.idleMs ?? 1000,
      retryDelayMs: options.retryDelayMs ?? 1000,
      stallMs: options.stallMs ?? 30_000,
      answerFirst: options.answerFirst ?? [],
    };
    const notify = () => this.otherWaiters.present();
    this.lanes = projections.map((p) => ({ runner: new ProjectionRunner(knex, p, notify), following: true }));
  }

  /**
   * Read tables exist before anything reads them: call before serving HTTP, so a request that
   * arrives before the first batch finds empty tables rather than missing ones.
   */
  async prepare(): Promise<void> {
    for (const { runner } of this.lanes) await runner.prepare();
    // Analysts' views over whatever serves now (a database migrated before they existed gets them too).
    await this.knex.transaction((trx) => createAnalystViews(trx));
  }

  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.loop;
    await Promise.all(this.lanes.map((lane) => lane.busy));
  }

  /** Called with each checkpoint this process moves (the in-process fast path for waiters). */
  onAdvance(listener: (checkpoint: Checkpoint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private readonly advanced = (checkpoint: Checkpoint): void => {
    for (const listener of this.listeners) listener(checkpoint);
  };

  private async run(): Promise<void> {
    const { signal } = this.stop;
    const start = await this.prepareRunners();
    if (start === undefined) return;
    const context: FanOutContext = {
      knex: this.knex,
      stallMs: this.settings.stallMs,
      onAdvance: this.advanced,
      fallBehind: (lane, why) => this.fallBehind(lane, why),
      notify: () => this.otherWaiters.present(),
      shareUpTo: this.settings.batchSize,
    };
    this.handedOutTo = start;
    const groups = this.groups(start, context);
    try {
      for await (const batch of tailOf(this.store, start, this.settings, signal, this.log)) {
        const last = batch.events[batch.events.length - 1];
        if (last) this.handedOutTo = last.position;
        for (const group of groups) group.offer(batch.events, batch.drained);
        for (const group of groups) await group.room();
      }
    } finally {
      await Promise.all(groups.map((group) => group.settled()));
    }
  }

  /** The answer group (RunnerOptions.answerFirst) and the rest, each fed the tail in turn. */
  private groups(start: Position, context: FanOutContext): LaneGroup[] {
    const first = new Set(this.settings.answerFirst);
    const work = {
      fanOut: (events: Parameters<typeof fanOut>[0], after: Position, lanes: readonly Lane[]) =>
        fanOut(events, after, lanes, context),
      drained: (lanes: readonly Lane[]) => this.promoteCaughtUp(lanes),
      maxPending: this.settings.catchUpBatchSize,
      failed: (error: unknown) => this.log.error({ err: error }, 'handing a batch to the read models failed'),
    };
    return [true, false]
      .map((isFirst) => this.lanes.filter((lane) => first.has(lane.runner.projection.name) === isFirst))
      .filter((lanes) => lanes.length > 0)
      .map((lanes) => new LaneGroup(lanes, start, work));
  }

  /** Every runner's tables and checkpoint, retried until the database answers; the lowest checkpoint. */
  private async prepareRunners(): Promise<Position | undefined> {
    while (!this.stop.signal.aborted) {
      try {
        for (const { runner } of this.lanes) await runner.prepare();
        return lowest(this.lanes.map((lane) => lane.runner.checkpoint.position));
      } catch (error) {
        this.log.warn({ err: error }, 'preparing projections failed; trying again');
        await pause(this.settings.retryDelayMs, this.stop.signal);
      }
    }
    return undefined;
  }

  private fallBehind(lane: Lane, why: unknown): void {
    if (!lane.following) return;
    lane.following = false;
    const { name } = lane.runner.projection;
    this.log.warn({ err: why, projection: name }, 'projection fell behind; catching up from its checkpoint');
    const previous = lane.busy;
    lane.busy = (async () => {
      await previous;
      await catchUpLane(lane, {
        store: this.store,
        pageSize: this.settings.catchUpBatchSize,
        retryDelayMs: this.settings.retryDelayMs,
        signal: this.stop.signal,
        log: this.log,
        onAdvance: this.advanced,
        handedOutTo: () => this.handedOutTo,
      });
    })();
  }

  /** Rebuilt versions that have seen everything take over (views switch, old tables go). */
  private async promoteCaughtUp(lanes: readonly Lane[]): Promise<void> {
    for (const { runner, following } of lanes) {
      if (!following || runner.checkpoint.status !== 'building') continue;
      try {
        const promoted = await runner.promoteIfCaughtUp(this.store);
        if (!promoted) continue;
        this.advanced(promoted);
        const { name, version } = runner.projection;
        this.log.info({ projection: name, version }, 'rebuilt projection is now serving');
      } catch (error) {
        this.log.warn({ err: error, projection: runner.projection.name }, 'promoting a rebuild failed');
      }
    }
  }

  async lag(): Promise<ProjectionLag[]> {
    const checkpoints = (await readCheckpoints(this.knex)).filter((c) => c.status !== 'retired');
    return Promise.all(
      checkpoints.map(async (c) => {
        const [next] = await this.store.readAll({ after: c.position, maxCount: 1 });
        return {
          name: c.name,
          version: c.version,
          status: c.status,
          position: c.position,
          eventsApplied: c.eventsApplied,
          lagSeconds: next ? Math.max(0, (Date.now() - next.createdAt.getTime()) / 1000) : 0,
          caughtUp: next === undefined,
        };
      }),
    );
  }
}

/** The lowest position every serving projection has reached: what a read is guaranteed to see. */
export const servingPosition = (checkpoints: readonly Checkpoint[]): Position => {
  const active = checkpoints.filter((c) => c.status === 'active');
  if (active.length === 0) return START;
  return lowest(active.map((c) => c.position));
};
