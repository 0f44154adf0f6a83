import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpProblem } from '../http/errorHandler';

const BEARER = /^Bearer ([^\s]+)$/i;

/** Equal digests of equal length, compared in constant time: how long it takes says nothing of the token. */
const sameToken = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );

/**
 * /metrics is for the operator's scraper, not for users: it names routes, projections and load.
 * With no METRICS_TOKEN configured it is off (404); with one, only `Authorization: Bearer <token>`
 * reaches it (401 otherwise). A user's access token is no use here.
 */
export const requireMetricsToken =
  (token: string | undefined): RequestHandler =>
  (req, _res, next) => {
    if (!token) {
      return next(
        new HttpProblem(
          404,
          'not-found',
          'Not found',
          'Metrics are off: the operator has not set METRICS_TOKEN.',
        ),
      );
    }
    const given = BEARER.exec(req.get('authorization') ?? '')?.[1];
    if (given === undefined || !sameToken(given, token)) {
      return next(
        new HttpProblem(
          401,
          'metrics-token-required',
          'The metrics token is missing or wrong',
          'Send the operator’s METRICS_TOKEN: Authorization: Bearer <METRICS_TOKEN>.',
          {},
          { 'WWW-Authenticate': 'Bearer realm="metrics"' },
        ),
      );
    }
    next();
  };
