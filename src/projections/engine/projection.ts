import type { Knex } from 'knex';
import type { RecordedEvent } from '../../events/store/eventStore';

/** What a projection's handler may touch: the batch transaction and its own tables. */
export interface ProjectionContext {
  readonly trx: Knex.Transaction;
  /** The physical name of one of this projection's tables, for its version (`societies` → `societies_v1`). */
  readonly table: (logicalName: string) => string;
}

/** Applies one event. Must be idempotent: applying the same event twice leaves the same rows. */
export type ApplyEvent = (event: RecordedEvent, ctx: ProjectionContext) => Promise<void>;

/**
 * Applies handled events, in `$all` order, all in one transaction. Set-based: load every row the
 * batch touches in one query per table, fold the events over them in memory, write the changed
 * rows back in one statement per table (see rowCache.ts). Must be idempotent like ApplyEvent.
 */
export type ApplyBatch = (events: readonly RecordedEvent[], ctx: ProjectionContext) => Promise<void>;

interface ProjectionShape {
  readonly name: string;
  readonly version: number;
  /** Logical table name → its columns and indexes. */
  readonly tables: Readonly<Record<string, (table: Knex.CreateTableBuilder) => void>>;
  /** Event types it reacts to; others only advance its checkpoint. */
  readonly handles: readonly string[];
}

/**
 * A named, versioned read model. Its tables are created per version (`<table>_v<version>`) and
 * exposed to readers and analysts through a view named `<table>` that points at the active
 * version. Bumping `version` rebuilds from position zero into fresh tables while the old
 * version keeps serving, then switches the views in one transaction.
 *
 * A projection handles either one event at a time (`apply`: simple, a round trip or more per
 * event) or a whole batch (`applyBatch`: set-based, what a rebuild of a busy read model needs).
 */
export type ProjectionDefinition = ProjectionShape &
  (
    | { readonly apply: ApplyEvent; readonly applyBatch?: never }
    | { readonly applyBatch: ApplyBatch; readonly apply?: never }
  );

/** Applies `events` (already filtered to the projection's `handles`) in order, in `ctx.trx`. */
export const applyEvents = async (
  projection: ProjectionDefinition,
  events: readonly RecordedEvent[],
  ctx: ProjectionContext,
): Promise<void> => {
  if (events.length === 0) return;
  if (projection.applyBatch) return projection.applyBatch(events, ctx);
  for (const event of events) await projection.apply(event, ctx);
};

export const physicalTableName = (logicalName: string, version: number): string =>
  `${logicalName}_v${version}`;
