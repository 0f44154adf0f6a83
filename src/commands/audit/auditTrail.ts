import type { Knex } from 'knex';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { Position } from '../../events/store/position';
import { toRecorded, type EventRow } from '../../events/store/postgres/eventRow';

export interface AuditTrailFilter {
  readonly types?: readonly string[];
  /** Exact stream id, or a prefix ending in `*` (`class-*`). */
  readonly stream?: string;
  /** Events whose data names this society (`data.societyId`). */
  readonly societyId?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Exclusive: events after this position of `$all`. */
  readonly after?: Position;
}

/**
 * The audit trail over the PostgreSQL store's `events` table, in `$all` order (the table's key,
 * so paging is a range scan), committed transactions only, as the store's readers see them.
 * Type and society filters have indexes that continue in `$all` order (migration 0012).
 */
const trail = (source: string) => `${source}
SELECT global_position, transaction_id::text AS commit_position, stream_id, stream_position, event_id,
       type, data, metadata, created_at, hash
  FROM matching
 WHERE (transaction_id, global_position) > (?::xid8, ?::bigint)
   AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   AND (?::text[] IS NULL OR type = ANY(?::text[]))
   AND (?::text IS NULL OR stream_id = ?::text OR (right(?::text, 1) = '*' AND starts_with(stream_id, rtrim(?::text, '*'))))
   AND (?::text IS NULL OR data->>'societyId' = ?::text)
 ORDER BY transaction_id, global_position
 LIMIT ?`;

const IN_TIME = `created_at >= coalesce(?::timestamptz, '-infinity') AND created_at < coalesce(?::timestamptz, 'infinity')`;

/**
 * A time window that matches few events is read through the time index and sorted (it may lie
 * anywhere in the log); a wide one is read in `$all` order, where matches come soon. Left to
 * itself the planner picks the ordered scan for both (it guesses a fixed share of the log
 * matches), which read a whole 1M-event log to find the last minute's events.
 */
const NARROW_WINDOW = 10_000;
const windowIsNarrow = async (knex: Knex, from: Date | null, to: Date | null): Promise<boolean> => {
  const { rows } = await knex.raw<{ rows: { n: number }[] }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM events WHERE ${IN_TIME} LIMIT ${NARROW_WINDOW + 1}) AS w`,
    [from, to],
  );
  return rows[0]!.n <= NARROW_WINDOW;
};

export const readAuditTrail = async (
  knex: Knex,
  filter: AuditTrailFilter,
  limit: number,
): Promise<RecordedEvent[]> => {
  const after = filter.after ?? { commit: 0n, prepare: 0n };
  const types = filter.types && filter.types.length > 0 ? [...filter.types] : null;
  const stream = filter.stream ?? null;
  const society = filter.societyId ?? null;
  const from = filter.from ?? null;
  const to = filter.to ?? null;
  const narrow = (from !== null || to !== null) && (await windowIsNarrow(knex, from, to));
  const source = narrow
    ? `WITH matching AS MATERIALIZED (SELECT * FROM events WHERE ${IN_TIME})`
    : `WITH matching AS NOT MATERIALIZED (SELECT * FROM events WHERE ${IN_TIME})`;
  const bindings: Knex.RawBinding[] = [
    from,
    to,
    (after.commit < 0n ? 0n : after.commit).toString(),
    (after.prepare < 0n ? 0n : after.prepare).toString(),
    types,
    types,
    stream,
    stream,
    stream,
    stream,
    society,
    society,
    limit,
  ];
  const { rows } = await knex.raw<{ rows: EventRow[] }>(trail(source), bindings);
  return rows.map(toRecorded);
};
