import type { Knex } from 'knex';
import type { EventStore, RecordedEvent } from '../../events/store/eventStore';
import { comparePositions, START, type Position } from '../../events/store/position';
import {
  applyEvents,
  physicalTableName,
  type ProjectionContext,
  type ProjectionDefinition,
} from './projection';
import { ensureTables } from './tables';

export interface RebuildProgress {
  readonly eventsRead: number;
  readonly position: Position;
}

export interface ShadowRebuildOptions {
  /** Events read per page and applied per transaction. */
  readonly batchSize?: number;
}

/**
 * Every given projection rebuilt from position zero into tables of their own in `schema`, with
 * the live tables' names: each batch runs with `search_path` set to that schema alone, so the
 * projections' own code writes there untouched and nothing can reach a live table. A projection
 * that fails here is reported as not replayable and left out. Used by replay verification,
 * `cli rebuild` and the bench.
 */
export class ShadowRebuild {
  private readonly batchSize: number;
  private current: Position = START;
  private read = 0;
  /** Projection name → why it could not be rebuilt here. */
  readonly failures = new Map<string, string>();
  /** Projection name → milliseconds spent in its transactions: where a slow rebuild goes. */
  readonly busyMs = new Map<string, number>();
  private waitedOnReadsMs = 0;
  /** Projections already swapped in: their tables have left the schema, so nothing more goes there. */
  private readonly done = new Set<string>();

  constructor(
    private readonly knex: Knex,
    private readonly store: EventStore,
    readonly projections: readonly ProjectionDefinition[],
    readonly schema: string,
    options: ShadowRebuildOptions = {},
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new RangeError(`not a plain schema name: ${schema}`);
    this.batchSize = options.batchSize ?? 5000;
  }

  get position(): Position {
    return this.current;
  }

  get eventsRead(): number {
    return this.read;
  }

  /** Milliseconds spent waiting for a page of `$all` that applying the previous batch did not hide. */
  get readWaitMs(): number {
    return this.waitedOnReadsMs;
  }

  /**
   * A fresh schema with every projection's tables for its current version, plus an empty copy of
   * every other table of `public`: a projection that also writes a plain table (the notification
   * outbox) writes the copy, so replaying it never queues a real message twice.
   */
  async create(): Promise<void> {
    await this.knex.raw(`DROP SCHEMA IF EXISTS ?? CASCADE`, [this.schema]);
    await this.knex.raw(`CREATE SCHEMA ??`, [this.schema]);
    for (const projection of this.projections) await ensureTables(this.knex, projection, this.schema);
    const shadowed = new Set(
      this.projections.flatMap((p) => Object.keys(p.tables).map((t) => physicalTableName(t, p.version))),
    );
    const { rows } = await this.knex.raw<{ rows: Array<{ table_name: string }> }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name: table } of rows) {
      if (shadowed.has(table)) continue;
      await this.knex.raw(`CREATE TABLE ??.?? (LIKE public.?? INCLUDING ALL)`, [this.schema, table, table]);
    }
  }

  /** Stops applying to `name` (its tables were moved out, see rebuildAllInPlace). */
  finish(name: string): void {
    this.done.add(name);
  }

  async drop(): Promise<void> {
    await this.knex.raw(`DROP SCHEMA IF EXISTS ?? CASCADE`, [this.schema]);
  }

  /**
   * Applies every event after the current position up to `target` (inclusive; default: all).
   * The next page is read while the current batch is applied: reading `$all` and writing the
   * read models then share the time instead of taking turns.
   */
  async advanceTo(target?: Position, onProgress?: (progress: RebuildProgress) => void): Promise<void> {
    let reading = this.readPage(this.current);
    for (;;) {
      const waitStarted = performance.now();
      const page = await reading;
      this.waitedOnReadsMs += performance.now() - waitStarted;
      const batch = target ? page.filter((e) => comparePositions(e.position, target) <= 0) : page;
      const last = batch[batch.length - 1]?.position;
      const more =
        batch.length === this.batchSize && !(target && last && comparePositions(last, target) >= 0);
      if (more) reading = this.readPage(last!);
      if (batch.length > 0) {
        await this.applyBatch(batch);
        this.current = last!;
        this.read += batch.length;
        onProgress?.({ eventsRead: this.read, position: this.current });
      }
      if (!more) return;
    }
  }

  private readPage(after: Position): Promise<RecordedEvent[]> {
    const page = this.store.readAll({ after, maxCount: this.batchSize });
    // Awaited on the next turn; until then a failed read must not count as unhandled.
    page.catch(() => undefined);
    return page;
  }

  /**
   * Projections have only their own tables, so each batch applies to all of them at once, one
   * transaction (and connection) each: while one waits on PostgreSQL, another builds its SQL.
   */
  private async applyBatch(batch: readonly RecordedEvent[]): Promise<void> {
    await Promise.all(
      this.projections.map(async (projection) => {
        if (this.failures.has(projection.name) || this.done.has(projection.name)) return;
        const handled = new Set(projection.handles);
        const mine = batch.filter((e) => handled.has(e.type));
        if (mine.length === 0) return;
        const started = performance.now();
        try {
          await this.knex.transaction(async (trx) => {
            await trx.raw(`SET LOCAL search_path = ??`, [this.schema]);
            const ctx: ProjectionContext = {
              trx,
              table: (logical) => physicalTableName(logical, projection.version),
            };
            await applyEvents(projection, mine, ctx);
          });
        } catch (error) {
          this.failures.set(projection.name, error instanceof Error ? error.message : String(error));
        }
        this.busyMs.set(
          projection.name,
          (this.busyMs.get(projection.name) ?? 0) + performance.now() - started,
        );
      }),
    );
  }
}
