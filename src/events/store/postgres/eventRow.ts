import type { RecordedEvent } from '../eventStore';

/** A row of `events` as the store's readers select it (commit_position = transaction_id as text). */
export interface EventRow {
  global_position: string;
  commit_position: string;
  stream_id: string;
  stream_position: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  created_at: Date;
  hash: string | null;
}

/** The event a row holds, its position the (transaction, global position) pair. */
export const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  streamId: row.stream_id,
  revision: Number(row.stream_position),
  position: { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) },
  type: row.type,
  data: row.data,
  metadata: row.metadata,
  createdAt: row.created_at,
  ...(row.hash === null ? {} : { hash: row.hash }),
});

/** How the store runs a statement (named, errors translated); its read and append helpers take it. */
export type StoreQuery = <R extends object>(sql: string, params: unknown[]) => Promise<R[]>;
