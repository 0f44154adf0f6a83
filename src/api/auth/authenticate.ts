import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { administeredSocieties, findUser } from '../../projections/identity/userQueries';
import type { TokenService } from './tokens';

/**
 * Reads a bearer token if one is sent. The token proves who; the read model decides what they
 * are now: a deactivated user is refused even with a valid token, and a fresh admin grant
 * applies at once. Refusal is left to the route's policy (a public route ignores a bad token).
 */
export const authenticate =
  (knex: Knex, tokens: TokenService): RequestHandler =>
  async (req, _res, next) => {
    try {
      const header = req.get('authorization');
      if (!header) return next();
      const match = /^Bearer ([\w.~+/-]+=*)$/.exec(header);
      const claims = match ? tokens.verifyAccess(match[1]!) : undefined;
      if (!claims) {
        req.authFailure = 'invalid-token';
        return next();
      }
      const user = await findUser(knex, claims.sub);
      if (!user || user.status !== 'active') {
        req.authFailure = user ? 'inactive-user' : 'invalid-token';
        return next();
      }
      req.principal = {
        userId: user.id,
        role: user.role,
        societies: user.role === 'society_admin' ? await administeredSocieties(knex, user.id) : [],
      };
      next();
    } catch (error) {
      next(error);
    }
  };
