import type { Position as EsdbPosition, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { EventMetadata, RecordedEvent } from '../eventStore';
import { comparePositions, START, type Position } from '../position';

/**
 * ESDB has no server-side hook to chain hashes in, so the adapter chains them before appending
 * and keeps each one in the event's metadata under this key; reads move it back to `hash`.
 * No `$` prefix: EventStoreDB reserves `$`-prefixed metadata keys (`$correlationId`, ...) for
 * itself, and a key of its own it may one day read or rewrite is no place for evidence.
 */
export const CHAIN_HASH_KEY = 'arcfitChainHash';

/** The key events were written under before it left the `$` namespace; still read (upcast). */
export const LEGACY_CHAIN_HASH_KEY = '$arcfitChainHash';

/**
 * Servers before 22.6 send no `$all` position with stream reads (the client then reports
 * 2^64-1); we pass that through rather than invent one. Positions from `$all` are always real.
 */
const UNKNOWN_POSITION: Position = Object.freeze({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n });

/** What `excludeSystemEvents()` keeps out of a subscription, applied to reads too so both agree. */
export const isSystemEvent = (e: EsdbRecordedEvent): boolean =>
  e.type.startsWith('$') || e.streamId.startsWith('$');

export const positionOf = (e: EsdbRecordedEvent): Position =>
  e.position ? { commit: e.position.commit, prepare: e.position.prepare } : UNKNOWN_POSITION;

const toMetadata = (metadata: unknown): EventMetadata =>
  metadata !== null &&
  typeof metadata === 'object' &&
  !Array.isArray(metadata) &&
  !(metadata instanceof Uint8Array)
    ? (metadata as EventMetadata)
    : {};

/** The event as the port shows it: the chain hash, under either key, moved out of the metadata. */
export const toRecorded = (e: EsdbRecordedEvent): RecordedEvent => {
  const { [CHAIN_HASH_KEY]: current, [LEGACY_CHAIN_HASH_KEY]: legacy, ...metadata } = toMetadata(e.metadata);
  const hash = typeof current === 'string' ? current : legacy;
  return {
    id: e.id,
    streamId: e.streamId,
    revision: Number(e.revision),
    position: positionOf(e),
    type: e.type,
    data: e.data,
    metadata,
    createdAt: e.created,
    ...(typeof hash === 'string' ? { hash } : {}),
  };
};

export const isStart = (p: Position): boolean => comparePositions(p, START) <= 0;

export const toEsdbPosition = (p: Position): EsdbPosition => ({ commit: p.commit, prepare: p.prepare });
