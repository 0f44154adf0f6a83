import { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { ApiDependencies } from '../dependencies';
import { PostgresRateLimitStore } from '../http/postgresRateLimitStore';
import { sendProblem } from '../http/problem';
import type { RouteBook } from '../http/route';
import { phoneVerificationRoutes } from './phoneVerificationRoutes';
import { sessionRoutes } from './sessionRoutes';
import { signupRoute } from './signupRoute';
import { userStatusRoute } from './userStatusRoute';

/**
 * Accounts and sessions: signup, then a session's life (login, refresh, logout, me), phone
 * verification, and an account's status. One per-address rate limit stands in front of them all;
 * the routes live next door and are mounted here in the order the API documents them.
 */
export const authRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, identity } = deps;

  // Per address: signup, login and codes are what attackers hammer. Accounts are throttled apart.
  const limiter = rateLimit({
    // Counted in PostgreSQL: every replica shares one budget per address.
    store: new PostgresRateLimitStore(knex, 'auth:'),
    windowMs: 60_000,
    limit: identity.authRateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 60;
      res.set('Retry-After', String(seconds));
      sendProblem(res, { type: 'rate-limited', title: 'Too many requests; slow down', status: 429 });
    },
  });
  router.use(['/auth/signup', '/auth/login', '/auth/otp'], limiter);

  router.use(signupRoute(deps, book));
  router.use(sessionRoutes(deps, book));
  router.use(phoneVerificationRoutes(deps, book));
  router.use(userStatusRoute(deps, book));
  return router;
};
