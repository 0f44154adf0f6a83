import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { CommandRefusedError, ConcurrencyConflictError } from '../../commands/handling/commandHandler';
import { EventStoreUnavailableError } from '../../events/store/errors';
import { isConnectionError } from '../../events/store/postgres/postgresErrors';
import { sendProblem } from './problem';
import { bodyProblem } from './bodyProblems';

/** Which part of the request a validation error is about. */
export class RequestValidationError extends Error {
  constructor(
    readonly part: 'body' | 'query' | 'params' | 'headers',
    readonly zodError: ZodError,
  ) {
    super(`invalid ${part}`);
  }
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
  }
}

/** SQLSTATE class 22 (data exception): the value, not the service, is at fault. */
const isValueRefusedByDatabase = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
};

export const notFoundHandler: RequestHandler = (req, res) =>
  sendProblem(res, {
    type: 'not-found',
    title: 'Not found',
    status: 404,
    detail: `No route for ${req.method} ${req.path}`,
  });

/** The one place errors become problem documents. Nothing else writes error responses. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) return;
  if (error instanceof RequestValidationError) {
    return sendProblem(res, {
      type: 'validation-error',
      title: 'The request is not valid',
      status: 400,
      detail: `Invalid ${error.part}: ${error.zodError.issues.map((i) => `${[error.part, ...i.path].join('.')}: ${i.message}`).join('; ')}`,
      errors: error.zodError.issues.map((i) => ({
        in: error.part,
        path: i.path.join('.'),
        message: i.message,
        code: i.code,
      })),
    });
  }
  if (error instanceof HttpProblem) {
    res.set(error.headers);
    return sendProblem(res, {
      type: error.slug,
      title: error.title,
      status: error.status,
      detail: error.detail,
      ...error.extensions,
    });
  }
  if (error instanceof CommandRefusedError) {
    const { refusal } = error;
    return sendProblem(res, {
      type: refusal.type,
      title: refusal.title,
      status: refusal.status,
      detail: refusal.detail,
      ...refusal.extensions,
    });
  }
  if (error instanceof ConcurrencyConflictError) {
    return error.kind === 'stale-revision'
      ? sendProblem(res, {
          type: 'stale-revision',
          title: 'The resource changed since you read it',
          status: 412,
          detail: 'Read it again and retry with the new ETag.',
          current_version: error.actualRevision,
        })
      : sendProblem(res, {
          type: 'concurrent-update',
          title: 'The resource is being changed by others; try again',
          status: 409,
        });
  }
  if (error instanceof EventStoreUnavailableError || isConnectionError(error)) {
    res.set('Retry-After', '5');
    return sendProblem(res, {
      type: 'service-unavailable',
      title: 'A dependency of the service is unavailable',
      status: 503,
      detail: 'The database could not be reached. Nothing was written; retry with the same Idempotency-Key.',
    });
  }
  if (isValueRefusedByDatabase(error)) {
    // A value the route's schema let through but PostgreSQL cannot hold (year 0, a NUL byte, a
    // number past its column) is the client's error, not ours. Logged: the schema should catch it.
    req.log?.warn({ err: error }, 'value refused by the database');
    return sendProblem(res, {
      type: 'validation-error',
      title: 'The request is not valid',
      status: 400,
      detail: 'A value in the request is out of range or not representable.',
    });
  }
  // body-parser's own errors: malformed JSON, too large, a charset or encoding it does not read.
  const refusedBody = bodyProblem(error as Parameters<typeof bodyProblem>[0]);
  if (refusedBody) return sendProblem(res, refusedBody);
  req.log?.error({ err: error }, 'unhandled error');
  return sendProblem(res, { type: 'internal-error', title: 'Something went wrong on our side', status: 500 });
};
