import type { ExpectedRevision, NewEvent, RecordedEvent, StreamAppend } from './eventStore';

/** The stream's last revision, `undefined` when it has no events. */
export const lastRevisionOf = (stream: readonly RecordedEvent[]): number | undefined =>
  stream.length === 0 ? undefined : stream.length - 1;

export const violatesExpectation = (expected: ExpectedRevision, actual: number | undefined): boolean => {
  switch (expected) {
    case 'any':
      return false;
    case 'no_stream':
      return actual !== undefined;
    case 'stream_exists':
      return actual === undefined;
    default:
      return actual !== expected;
  }
};

/**
 * An append whose event ids are already in the stream, consecutively and in the same order, is
 * a retry of one that succeeded: answer with the original outcome instead of writing again.
 */
export const isRetryOf = (
  stream: readonly RecordedEvent[],
  events: readonly NewEvent[],
): RecordedEvent | undefined => {
  if (events.length === 0) return undefined;
  const start = stream.findIndex((e) => e.id === events[0]!.id);
  if (start < 0) return undefined;
  const matches = events.every((e, i) => stream[start + i]?.id === e.id);
  return matches ? stream[start + events.length - 1] : undefined;
};

/**
 * `appendToStreams` takes each stream once: a stream's events go in one append, so its expected
 * revision means one thing. And at least one event each, as every append.
 */
export const refuseRepeatedStreams = (appends: readonly StreamAppend[]): void => {
  const seen = new Set<string>();
  for (const { streamId, events } of appends) {
    if (seen.has(streamId)) throw new RangeError(`appendToStreams names ${streamId} twice`);
    if (events.length === 0) throw new RangeError(`appendToStreams needs at least one event for ${streamId}`);
    seen.add(streamId);
  }
};
