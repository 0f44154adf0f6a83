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
 * Filters on type, society and time scan; the trail is read rarely and paged.
 */
const TRAIL = `SELECT global_position, transaction_id::text AS commit_position, stream_id, stream_position, event_id,
       type, data, metadata, created_at, hash
  FROM events
 WHERE (transaction_id, global_position) > (?::xid8, ?::bigint)
   AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   AND (?::text[] IS NULL OR type = ANY(?::text[]))
   AND (?::text IS NULL OR stream_id = ?::text OR (right(?::text, 1) = '*' AND starts_with(stream_id, rtrim(?::text, '*'))))
   AND (?::text IS NULL OR data->>'societyId' = ?::text)
   AND (?::timestamptz IS NULL OR created_at >= ?::timestamptz)
   AND (?::timestamptz IS NULL OR created_at < ?::timestamptz)
 ORDER BY transaction_id, global_position
 LIMIT ?`;

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
  const bindings: Knex.RawBinding[] = [
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
    from,
    from,
    to,
    to,
    limit,
  ];
  const { rows } = await knex.raw<{ rows: EventRow[] }>(TRAIL, bindings);
  return rows.map(toRecorded);
};
