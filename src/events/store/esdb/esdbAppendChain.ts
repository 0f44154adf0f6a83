import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  jsonEvent,
  type AppendExpectedRevision,
  type JSONType,
} from '@eventstore/db-client';
import type { EventStore, ExpectedRevision, NewEvent } from '../eventStore';
import { WrongExpectedRevisionError } from '../errors';
import { chainHash, contentDigest, GENESIS_HASH } from '../hashChain';
import { CHAIN_HASH_KEY } from './recordedEvent';

export const toExpected = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
};

/** How often an append made with 'any' re-reads the stream tip when another writer moved it. */
export const MAX_CHAIN_ATTEMPTS = 50;

/** Where an append's chain starts: the revision it is pinned to and the hash it links to. */
export interface ChainStart {
  readonly expected: ExpectedRevision;
  readonly previousHash: string;
  readonly firstRevision: number;
}

/** Where an append's chain starts, read from the stream as the caller pinned it. */
export const chainStart = async (
  readStream: EventStore['readStream'],
  streamId: string,
  expected: ExpectedRevision,
  events: readonly NewEvent[],
): Promise<ChainStart> => {
  const genesis: ChainStart = { expected: 'no_stream', previousHash: GENESIS_HASH, firstRevision: 0 };
  if (expected === 'no_stream') return genesis;
  if (typeof expected === 'number') {
    const [at] = await readStream(streamId, { fromRevision: expected, maxCount: 1 });
    return { expected, previousHash: at?.hash ?? GENESIS_HASH, firstRevision: expected + 1 };
  }
  const recent = await readStream(streamId, { direction: 'backwards', maxCount: events.length + 64 });
  const tip = recent[0];
  if (!tip) {
    if (expected === 'stream_exists') throw new WrongExpectedRevisionError(streamId, expected, undefined);
    return genesis;
  }
  // A retry of an append that already landed: chain it exactly as then, and ESDB, seeing the
  // same ids at the same revision, answers with the original outcome instead of writing again.
  const retried = recent.find((e) => e.id === events[0]!.id);
  const before = retried ? recent.find((e) => e.revision === retried.revision - 1) : tip;
  if (retried && retried.revision === 0) return genesis;
  if (!before)
    return {
      expected: tip.revision,
      previousHash: tip.hash ?? GENESIS_HASH,
      firstRevision: tip.revision + 1,
    };
  return {
    expected: before.revision,
    previousHash: before.hash ?? GENESIS_HASH,
    firstRevision: before.revision + 1,
  };
};

/** The events as ESDB takes them, each carrying its link of the hash chain in its metadata. */
export const chainedEvents = (streamId: string, events: readonly NewEvent[], start: ChainStart) => {
  let previous = start.previousHash;
  return events.map((e, i) => {
    const metadata = e.metadata ?? {};
    previous = chainHash(
      previous,
      start.firstRevision + i,
      contentDigest({ streamId, id: e.id, type: e.type, data: e.data, metadata }),
    );
    return jsonEvent({
      id: e.id,
      type: e.type,
      data: e.data as JSONType,
      metadata: { ...metadata, [CHAIN_HASH_KEY]: previous },
    });
  });
};
