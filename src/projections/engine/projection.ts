import type { Knex } from 'knex';
import type { RecordedEvent } from '../../events/store/eventStore';

/** What a projection's handler may touch: the batch transaction and its own tables. */
export interface ProjectionContext {
  readonly trx: Knex.Transaction;
  /** The physical name of one of this projection's tables, for its version (`societies` → `societies_v1`). */
  readonly table: (logicalName: string) => string;
}

/**
 * A named, versioned read model. Its tables are created per version (`<table>_v<version>`) and
 * exposed to readers and analysts through a view named `<table>` that points at the active
 * version. Bumping `version` rebuilds from position zero into fresh tables while the old
 * version keeps serving, then switches the views in one transaction.
 */
export interface ProjectionDefinition {
  readonly name: string;
  readonly version: number;
  /** Logical table name → its columns and indexes. */
  readonly tables: Readonly<Record<string, (table: Knex.CreateTableBuilder) => void>>;
  /** Event types it reacts to; others only advance its checkpoint. */
  readonly handles: readonly string[];
  /** Must be idempotent: applying the same event twice leaves the same rows. */
  readonly apply: (event: RecordedEvent, ctx: ProjectionContext) => Promise<void>;
}

export const physicalTableName = (logicalName: string, version: number): string =>
  `${logicalName}_v${version}`;
