import type { RequestHandler } from 'express';
import { HttpProblem } from './errorHandler';
import type { RouteBook } from './route';

/** `/societies/{id}` → a pattern for `/societies/<anything but a slash>`, as express matches it. */
const pathPattern = (path: string) =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}/?$`, 'i');

/** The methods routes serve at a path; a GET also answers HEAD. */
export const allowedMethods = (
  routes: readonly { method: string; path: string }[],
  path: string,
): string[] => {
  const methods = new Set(routes.filter((r) => pathPattern(r.path).test(path)).map((r) => r.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
};

/**
 * OPTIONS is not served: the API has no cross-origin callers to answer preflights for, and
 * express's automatic answer (200, "GET,HEAD" as HTML) was neither the API's format nor true
 * for HEAD-less paths. The answer is 405 with the path's methods in Allow, as a problem document;
 * a path nothing serves is 404. `otherGets`: paths served outside the route book (health, docs).
 */
export const refuseOptions =
  (book: RouteBook, otherGets: readonly string[]): RequestHandler =>
  (req, _res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const routes = [...book.routes, ...otherGets.map((path) => ({ method: 'GET', path }))];
    const allow = allowedMethods(routes, req.path);
    if (allow.length === 0) return next();
    next(
      new HttpProblem(
        405,
        'method-not-allowed',
        'This API does not answer OPTIONS',
        `${req.path} serves ${allow.join(', ')}; the API takes no cross-origin requests, so there is no preflight to answer.`,
        {},
        { Allow: allow.join(', ') },
      ),
    );
  };
