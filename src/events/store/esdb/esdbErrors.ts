import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../errors';

/** gRPC status codes that mean "the server could not be reached or gave up", not "you asked wrong". */
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

const isUnavailable = (error: unknown): boolean => {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return true;
  }
  // Errors a call emits before the client converts them (e.g. on an append's request stream).
  const code = (error as { code?: unknown } | null)?.code;
  return code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED || code === GRPC_CANCELLED;
};

export const translate = (error: unknown): unknown =>
  isUnavailable(error)
    ? new EventStoreUnavailableError('event store (esdb) unavailable', { cause: error })
    : error;
