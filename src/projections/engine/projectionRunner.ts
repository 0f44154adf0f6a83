import type { Knex } from 'knex';
import type { EventStore, RecordedEvent } from '../../events/store/eventStore';
import { comparePositions, type Position } from '../../events/store/position';
import {
  advanceCheckpoint,
  readCheckpoint,
  registerCheckpoint,
  type Checkpoint,
  type CheckpointMove,
} from './checkpoints';
import {
  applyEvents,
  physicalTableName,
  type ProjectionContext,
  type ProjectionDefinition,
} from './projection';
import { dropVersionTables, ensureTables, pointViewsAt } from './tables';

/**
 * The longest a write transaction of the engine stays open while more work waits (see apply):
 * a per-event projection's slice, and the point past which a shared batch (fanOut.ts) takes in
 * no further runner.
 */
export const SLICE_MS = 50;

/** The checkpoint once `move` has committed. */
const movedTo = (checkpoint: Checkpoint, move: CheckpointMove): Checkpoint => ({
  ...checkpoint,
  position: move.to,
  eventsApplied: checkpoint.eventsApplied + move.applied,
  lastEventAt: move.lastEventAt,
});

/** Events applied inside a transaction, and the checkpoint move that records them (not yet made). */
export interface AppliedPart {
  readonly move: CheckpointMove;
  /** Index after the last event it covers: the rest of the batch still waits. */
  readonly upTo: number;
}

export class CheckpointMovedError extends Error {
  constructor(name: string) {
    super(`checkpoint of ${name} moved under this runner; reloading`);
  }
}

/**
 * One projection version's side of the engine's fan-out: it holds the version's checkpoint and
 * applies whatever part of a batch lies beyond it. It reads nothing itself; the engine's one tail
 * of `$all` (or, after a failure, its own catch-up) hands it batches.
 * Every batch writes the read rows and moves the checkpoint in one PostgreSQL transaction
 * (compare-and-set), so a crash anywhere leaves either the whole batch or none of it.
 */
export class ProjectionRunner {
  private current: Checkpoint | undefined;
  private readonly handled: ReadonlySet<string>;

  constructor(
    private readonly knex: Knex,
    readonly projection: ProjectionDefinition,
    /** Whether a checkpoint move should NOTIFY (another process listens); asked once per move. */
    readonly notify: () => Promise<boolean> = async () => true,
  ) {
    this.handled = new Set(projection.handles);
  }

  get checkpoint(): Checkpoint {
    if (!this.current) throw new Error(`${this.projection.name} used before prepare()`);
    return this.current;
  }

  get prepared(): boolean {
    return this.current !== undefined;
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
    this.current = checkpoint;
    return checkpoint;
  }

  /** The batch's events this runner has not applied yet (the engine's tail may start before it). */
  unseen(batch: readonly RecordedEvent[]): readonly RecordedEvent[] {
    const at = this.checkpoint.position;
    if (batch.length === 0 || comparePositions(batch[0]!.position, at) > 0) return batch;
    const first = batch.findIndex((e) => comparePositions(e.position, at) > 0);
    return first < 0 ? [] : batch.slice(first);
  }

  /** Whether any of these (unseen) events is one this projection reacts to. */
  reactsTo(events: readonly RecordedEvent[]): boolean {
    return events.some((e) => this.handled.has(e.type));
  }

  /**
   * The checkpoint move for unseen events it does not react to: the engine moves all such
   * runners in one statement. Undefined when there is nothing unseen.
   */
  idleMove(events: readonly RecordedEvent[]): CheckpointMove | undefined {
    return events.length === 0 ? undefined : this.moveOver(events, 0, events.length);
  }

  /** The checkpoint move over events[from, upTo), from where the checkpoint stands. */
  private moveOver(events: readonly RecordedEvent[], from: number, upTo: number): CheckpointMove {
    const checkpoint = this.checkpoint;
    const last = events[upTo - 1]!;
    return {
      checkpoint,
      from: checkpoint.position,
      to: last.position,
      applied: upTo - from,
      lastEventAt: last.createdAt,
    };
  }

  /**
   * Records a move the engine made for it (true) or finds that someone else moved it (false).
   * Call only once the move has committed.
   */
  settle(move: CheckpointMove, moved: boolean): Checkpoint {
    if (!moved) throw new CheckpointMovedError(this.projection.name);
    this.current = movedTo(this.checkpoint, move);
    return this.current;
  }

  /**
   * Applies the unseen events: the handled ones written and the checkpoint moved in one
   * transaction. A set-based projection (`applyBatch`) takes the whole batch in one transaction,
   * a few statements whatever its length — what makes catching up as fast as a rebuild.
   *
   * A per-event projection (`apply`) goes in transactions of at most SLICE_MS each. Why: an open
   * write transaction held back `pg_snapshot_xmin`, and readers of $all saw only transactions
   * below it (since migration 0016 only running appends do: appendMarker.ts), so one long batch of a slow read model (notifications rendered messages one at a
   * time) held every other consumer, and every read-your-writes answer, for its whole length —
   * measured as ~1 s p50 on booking answers. Each slice still moves the checkpoint in its own
   * transaction. Answers the checkpoint reached (unchanged when everything was seen already).
   */
  async apply(events: readonly RecordedEvent[], onAdvance: (c: Checkpoint) => void): Promise<Checkpoint> {
    for (let from = 0; from < events.length;) {
      from = await this.applySlice(events, from);
      onAdvance(this.checkpoint);
    }
    return this.checkpoint;
  }

  private async applySlice(events: readonly RecordedEvent[], from: number): Promise<number> {
    const notify = await this.notify();
    const part = await this.knex.transaction(async (trx) => {
      const applied = await this.applyPart(trx, events, from);
      if (!(await advanceCheckpoint(trx, applied.move, notify)))
        throw new CheckpointMovedError(this.projection.name);
      return applied;
    });
    this.settle(part.move, true);
    return part.upTo;
  }

  /**
   * Writes, in `trx`, the handled events from `from` on — all of them for a set-based projection,
   * for a per-event one as many as fit in SLICE_MS from `started` (one at least) — and answers the
   * checkpoint move that records them, for the caller to make in the same transaction and
   * `settle` once it committed. The runner's checkpoint does not change here.
   */
  async applyPart(
    trx: Knex.Transaction,
    events: readonly RecordedEvent[],
    from: number,
    started = Date.now(),
  ): Promise<AppliedPart> {
    const { projection, handled } = this;
    const ctx: ProjectionContext = {
      trx,
      table: (logical) => physicalTableName(logical, projection.version),
    };
    let upTo = from;
    if (projection.applyBatch) {
      upTo = events.length;
      await applyEvents(
        projection,
        events.slice(from).filter((e) => handled.has(e.type)),
        ctx,
      );
    } else {
      while (upTo < events.length && (upTo === from || Date.now() - started < SLICE_MS)) {
        const event = events[upTo++]!;
        if (handled.has(event.type)) await projection.apply(event, ctx);
      }
    }
    return { move: this.moveOver(events, from, upTo), upTo };
  }

  /**
   * A rebuilt version takes over once it has seen everything: views switch, the old tables go.
   * Answers the checkpoint when it was promoted.
   */
  async promoteIfCaughtUp(store: EventStore): Promise<Checkpoint | undefined> {
    if (this.checkpoint.status !== 'building') return undefined;
    const head: Position = await store.headPosition();
    if (comparePositions(this.checkpoint.position, head) < 0) return undefined;
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
    return this.current;
  }
}
