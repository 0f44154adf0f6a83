import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { EventStore, RecordedEvent } from '../../events/store/eventStore';
import { comparePositions, type Position } from '../../events/store/position';
import {
  advanceCheckpoint,
  readCheckpoint,
  registerCheckpoint,
  type Checkpoint,
  type CheckpointMove,
} from './checkpoints';
import { EventBuffer } from './eventBuffer';
import {
  applyEvents,
  physicalTableName,
  type ProjectionContext,
  type ProjectionDefinition,
} from './projection';
import { dropVersionTables, ensureTables, pointViewsAt } from './tables';

/** The longest a projection transaction stays open (see applyBatch). */
const SLICE_MS = 50;

export interface RunnerOptions {
  batchSize: number;
  /** How long to wait for events before checking whether a rebuild has caught up. */
  idleMs: number;
  /** Pause after a failed batch (database down, handler bug) before starting again. */
  retryDelayMs: number;
}

/** The checkpoint after `applied` more events, the last of them `last`. */
const movedTo = (checkpoint: Checkpoint, last: RecordedEvent, applied: number): Checkpoint => ({
  ...checkpoint,
  position: last.position,
  eventsApplied: checkpoint.eventsApplied + applied,
  lastEventAt: last.createdAt,
});

class CheckpointMovedError extends Error {
  constructor(name: string) {
    super(`checkpoint of ${name} moved under this runner; reloading`);
  }
}

/**
 * Keeps one projection version up to date: catch up from its checkpoint, then follow live.
 * Every batch writes the read rows and moves the checkpoint in one PostgreSQL transaction
 * (compare-and-set), so a crash anywhere leaves either the whole batch or none of it.
 */
export class ProjectionRunner {
  private readonly stop = new AbortController();
  private loop: Promise<void> | undefined;
  private current: Checkpoint | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly store: EventStore,
    readonly projection: ProjectionDefinition,
    private readonly options: RunnerOptions,
    private readonly log: Logger,
    private readonly onAdvance: (checkpoint: Checkpoint) => void,
    /** How a checkpoint moves when its batch had nothing to apply (the engine shares one mover). */
    private readonly moveCheckpoint: (move: CheckpointMove) => Promise<boolean> = (move) =>
      advanceCheckpoint(knex, move),
  ) {}

  get checkpoint(): Checkpoint | undefined {
    return this.current;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      let buffer: EventBuffer | undefined;
      try {
        this.current = await this.prepare();
        buffer = new EventBuffer(this.store, this.current.position);
        await this.follow(buffer);
      } catch (error) {
        if (this.stop.signal.aborted) break;
        this.log.warn(
          { err: error, projection: this.projection.name },
          'projection batch failed; restarting',
        );
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs));
      } finally {
        await buffer?.close();
      }
    }
  }

  /** Creates this version's tables, its checkpoint and (if it serves) the views. Idempotent. */
  async prepare(): Promise<Checkpoint> {
    const { name, version } = this.projection;
    await ensureTables(this.knex, this.projection);
    const checkpoint = await registerCheckpoint(this.knex, name, version);
    if (checkpoint.status === 'active') {
      const hasViews = await this.knex.schema.hasTable(Object.keys(this.projection.tables)[0]!);
      if (!hasViews) await this.knex.transaction((trx) => pointViewsAt(trx, this.projection));
    }
    return checkpoint;
  }

  private async follow(buffer: EventBuffer): Promise<void> {
    const { batchSize, idleMs } = this.options;
    while (!this.stop.signal.aborted) {
      const batch = await buffer.take(batchSize, idleMs, this.stop.signal);
      if (batch.length > 0) {
        this.current = await this.applyBatch(this.current!, batch);
        this.onAdvance(this.current);
      }
      if (this.current!.status === 'building' && buffer.pending === 0) await this.promoteIfCaughtUp();
    }
  }

  /**
   * Applies a batch as one or more transactions of at most SLICE_MS each. Why: an open write
   * transaction holds back `pg_snapshot_xmin`, and readers of $all see only transactions below
   * it, so one long batch of a slow read model (notifications renders messages) held every other
   * consumer, and every read-your-writes answer, for its whole length — measured as ~1 s p50 on
   * booking answers. Each slice still moves the checkpoint in its own transaction.
   */
  private async applyBatch(checkpoint: Checkpoint, batch: RecordedEvent[]): Promise<Checkpoint> {
    let current = checkpoint;
    for (let from = 0; from < batch.length;) {
      const { next, upTo } = await this.applySlice(current, batch, from);
      current = next;
      from = upTo;
    }
    return current;
  }

  private async applySlice(
    checkpoint: Checkpoint,
    batch: RecordedEvent[],
    from: number,
  ): Promise<{ next: Checkpoint; upTo: number }> {
    const { projection } = this;
    const handled = new Set(projection.handles);
    let upTo = from;
    if (!batch.slice(from).some((e) => handled.has(e.type))) {
      // Nothing here for this read model: only its checkpoint moves, outside a transaction and in
      // one statement with the other read models' moves of the moment.
      // Why: all read models see every event, and most of a booking's events concern two of them.
      const last = batch[batch.length - 1]!;
      const moved = await this.moveCheckpoint({
        checkpoint,
        from: checkpoint.position,
        to: last.position,
        applied: batch.length - from,
        lastEventAt: last.createdAt,
      });
      if (!moved) throw new CheckpointMovedError(projection.name);
      return { next: movedTo(checkpoint, last, batch.length - from), upTo: batch.length };
    }
    await this.knex.transaction(async (trx) => {
      const ctx: ProjectionContext = {
        trx,
        table: (logical) => physicalTableName(logical, projection.version),
      };
      if (projection.applyBatch) {
        // Set-based: the whole batch in one go, a few statements whatever its length.
        upTo = batch.length;
        await applyEvents(
          projection,
          batch.slice(from).filter((e) => handled.has(e.type)),
          ctx,
        );
      } else {
        const started = Date.now();
        upTo = from;
        while (upTo < batch.length && (upTo === from || Date.now() - started < SLICE_MS)) {
          const event = batch[upTo++]!;
          if (handled.has(event.type)) await projection.apply(event, ctx);
        }
      }
      const last = batch[upTo - 1]!;
      const moved = await advanceCheckpoint(trx, {
        checkpoint,
        from: checkpoint.position,
        to: last.position,
        applied: upTo - from,
        lastEventAt: last.createdAt,
      });
      if (!moved) throw new CheckpointMovedError(projection.name);
    });
    return { next: movedTo(checkpoint, batch[upTo - 1]!, upTo - from), upTo };
  }

  /** A rebuilt version takes over once it has seen everything: views switch, the old tables go. */
  private async promoteIfCaughtUp(): Promise<void> {
    const head: Position = await this.store.headPosition();
    if (comparePositions(this.current!.position, head) < 0) return;
    const { name, version } = this.projection;
    const retired = await this.knex.transaction(async (trx) => {
      const old = await trx('projection_checkpoints').where({ name, status: 'active' }).select('version');
      await trx('projection_checkpoints').where({ name, status: 'active' }).update({ status: 'retired' });
      await trx('projection_checkpoints').where({ name, version }).update({ status: 'active' });
      await pointViewsAt(trx, this.projection);
      return old.map((row: { version: number }) => row.version);
    });
    for (const oldVersion of retired) await dropVersionTables(this.knex, this.projection, oldVersion);
    this.current = (await readCheckpoint(this.knex, name, version))!;
    this.onAdvance(this.current);
    this.log.info({ projection: name, version, retired }, 'rebuilt projection is now serving');
  }
}
