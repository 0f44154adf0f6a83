import type { ExpectedRevision, NewEvent } from '../eventStore';
import { contentDigest } from '../hashChain';

/** What APPEND_TO_STREAM(S) answer for one append. */
export interface AppendRow {
  outcome: 'appended' | 'duplicate' | 'conflict';
  last_revision: string | null;
  transaction_id: string | null;
  global_position: string | null;
}

/** One append as APPEND_TO_STREAM(S) take it: data and metadata already JSON text. */
export interface PendingAppend {
  readonly streamId: string;
  readonly expected: string;
  readonly ids: string[];
  readonly types: string[];
  readonly data: string[];
  readonly metadata: string[];
  /** Each event's content digest, for the hash chain. */
  readonly digests: string[];
}

export const pendingAppend = (
  streamId: string,
  expectedRevision: ExpectedRevision,
  events: readonly NewEvent[],
): PendingAppend => ({
  streamId,
  expected: String(expectedRevision),
  ids: events.map((e) => e.id),
  types: events.map((e) => e.type),
  data: events.map((e) => JSON.stringify(e.data)),
  metadata: events.map((e) => JSON.stringify(e.metadata ?? {})),
  digests: events.map((e) =>
    contentDigest({ streamId, id: e.id, type: e.type, data: e.data, metadata: e.metadata ?? {} }),
  ),
});

export const positional = (a: PendingAppend): unknown[] => [
  a.streamId,
  a.expected,
  a.ids,
  a.types,
  a.data,
  a.metadata,
  a.digests,
];

/** APPEND_TO_STREAM's parameters; each event's content digest travels with it for the hash chain. */
export const appendParams = (
  streamId: string,
  expectedRevision: ExpectedRevision,
  events: readonly NewEvent[],
): unknown[] => positional(pendingAppend(streamId, expectedRevision, events));
