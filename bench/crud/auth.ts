import { createSecretKey, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { sql, type Db } from './database';
import { Problem, forbidden } from './problem';

/** HS256 tokens with the project's issuer and audience, pinned on verify as the project pins them. */
const ISSUER = 'arcfit-roster';
const AUDIENCE = 'arcfit-api';

export type Role = 'member' | 'society_admin' | 'super_admin';
export interface Principal {
  userId: string;
  role: Role;
  /** A member's own society. */
  societyId: string | null;
  /** Societies a society_admin administers. */
  administers: string[];
}

declare module 'express-serve-static-core' {
  interface Request {
    crudPrincipal?: Principal;
    crudAuthFailure?: string;
  }
}

export const signingKey = (secret: string) => createSecretKey(Buffer.from(secret, 'utf8'));

export const issueToken = (key: KeyObject, userId: string, role: Role) =>
  jwt.sign({ role }, key, {
    algorithm: 'HS256',
    subject: userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: '3h',
  });

const verify = (key: KeyObject, token: string): string | undefined => {
  try {
    const claims = jwt.verify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    return typeof claims === 'object' && typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
};

// The user is read fresh on every request, as the project does: a deactivation applies at once.
const PRINCIPAL = `
  SELECT u.id, u.role, u.status, u.society_id,
         COALESCE((SELECT array_agg(a.society_id::text) FROM society_admins a WHERE a.user_id = u.id), '{}') AS administers
    FROM users u WHERE u.id = $1`;

/** Reads a bearer token if one is sent; refusing is left to the route (a public route ignores a bad token). */
export const authenticate =
  (db: Db, key: KeyObject): RequestHandler =>
  async (req, _res, next) => {
    try {
      const header = req.get('authorization');
      if (!header) return next();
      const match = /^Bearer ([\w.~+/-]+=*)$/.exec(header);
      const subject = match ? verify(key, match[1]!) : undefined;
      if (!subject) {
        req.crudAuthFailure = 'The access token is not valid.';
        return next();
      }
      type Row = { id: string; role: Role; status: string; society_id: string | null; administers: string[] };
      const [user] = await sql<Row>(db, PRINCIPAL, [subject]);
      if (!user || user.status !== 'active') {
        req.crudAuthFailure = 'This account is not active.';
        return next();
      }
      req.crudPrincipal = {
        userId: user.id,
        role: user.role,
        societyId: user.society_id,
        administers: user.administers,
      };
      next();
    } catch (error) {
      next(error);
    }
  };

/** The signed-in principal, or a 401 problem; `roles` narrows who may call. */
export const signedIn = (principal: Principal | undefined, failure: string | undefined, roles?: Role[]) => {
  if (!principal)
    throw new Problem(401, 'unauthenticated', 'Sign in to do this', failure ?? 'Send a bearer token.');
  if (roles && !roles.includes(principal.role)) throw forbidden(`Only ${roles.join(', ')} may do this.`);
  return principal;
};

export const administers = (p: Principal, societyId: string) =>
  p.role === 'super_admin' || (p.role === 'society_admin' && p.administers.includes(societyId));
