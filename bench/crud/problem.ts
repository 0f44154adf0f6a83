import type { ErrorRequestHandler } from 'express';

/** A refusal, answered as an RFC 9457 problem document (as the project answers them). */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(title);
  }
}

export const notFound = (what: string, id: string) =>
  new Problem(404, `${what}-not-found`, `No such ${what}`, `There is no ${what} ${id} you can see.`);
export const forbidden = (detail: string) => new Problem(403, 'forbidden', 'You may not do this', detail);
export const invalid = (detail: string) =>
  new Problem(400, 'validation-error', 'The request is not valid', detail);
export const refused = (status: number, type: string, title: string, extra?: Record<string, unknown>) =>
  new Problem(status, type, title, undefined, extra);

export const problemHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const problem =
    error instanceof Problem
      ? error
      : (error as { type?: string }).type === 'entity.parse.failed'
        ? invalid('The body is not JSON.')
        : undefined;
  if (!problem) {
    console.error(error);
    res
      .status(500)
      .type('application/problem+json')
      .json({ type: 'about:blank', title: 'Internal error', status: 500 });
    return;
  }
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: problem.type,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...problem.extra,
    });
};
