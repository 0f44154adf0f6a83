import type { ExpectedRevision } from './eventStore';

/** The stream was not at the revision the decision was made on. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision when the append was refused; `undefined` if it does not exist. */
    readonly actual: number | undefined,
  ) {
    super(`stream ${streamId}: expected ${String(expected)}, actual ${actual ?? 'no stream'}`);
  }
}

/** The store could not be reached or answered with a fault of its own (maps to HTTP 503). */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
