import type { RequestHandler } from 'express';
import { HttpProblem } from './errorHandler';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

const carriesBody = (headers: { 'transfer-encoding'?: string; 'content-length'?: string }) =>
  headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;

/**
 * Every body this API reads is JSON. A body in another type (a form post, text) would otherwise be
 * skipped by the JSON parser and refused as "body.name: expected string", which hides the real
 * mistake; it is refused as what it is, 415, before anything reads it.
 */
export const jsonBodiesOnly: RequestHandler = (req, _res, next) => {
  if (!WITH_BODY.has(req.method) || !carriesBody(req.headers) || req.is(['application/json', '+json'])) {
    return next();
  }
  const given = req.get('content-type');
  next(
    new HttpProblem(
      415,
      'unsupported-media-type',
      'The request body is not JSON',
      `${given ? `Content-Type ${given} is not read here` : 'The body has no Content-Type'}: send it as application/json.`,
    ),
  );
};
