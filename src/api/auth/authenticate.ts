import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { principalLookup } from './principalLookup';
import type { TokenService } from './tokens';

/**
 * Reads a bearer token if one is sent. The token proves who; the read model decides what they
 * are now: a deactivated user is refused even with a valid token, and a fresh admin grant
 * applies at once. Refusal is left to the route's policy (a public route ignores a bad token).
 */
export const authenticate = (knex: Knex, tokens: TokenService): RequestHandler => {
  const lookUp = principalLookup(knex);
  return async (req, _res, next) => {
    try {
      const header = req.get('authorization');
      if (!header) return next();
      const match = /^Bearer ([\w.~+/-]+=*)$/.exec(header);
      const claims = match ? tokens.verifyAccess(match[1]!) : undefined;
      if (!claims) {
        req.authFailure = 'invalid-token';
        return next();
      }
      const known = await lookUp(claims.sub);
      if (!known || known.user.status !== 'active') {
        req.authFailure = known ? 'inactive-user' : 'invalid-token';
        return next();
      }
      req.principal = {
        userId: known.user.id,
        role: known.user.role,
        societies: [...known.societies],
        ownSociety: known.user.society_id,
      };
      next();
    } catch (error) {
      next(error);
    }
  };
};
