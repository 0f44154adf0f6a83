import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '../../events/identity/userEvents';

export interface AccessClaims {
  sub: string;
  role: Role;
  /** Societies this user administers, as of issue (authorisation re-reads them per request). */
  societies: string[];
}

const ALGORITHM = 'HS256';
const ISSUER = 'arcfit-roster';
const AUDIENCE = 'arcfit-api';

/**
 * Short-lived access tokens. The algorithm, issuer and audience are pinned on verify, so a token
 * signed with `none`, another algorithm, another key or for another audience is refused.
 */
export const createTokenService = (secret: string, accessTtlSeconds: number) => {
  // A KeyObject built once: given a string, jsonwebtoken builds one on every sign and verify,
  // which showed in the profile of every authenticated request.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    accessTtlSeconds,
    issueAccess: (claims: AccessClaims): string =>
      jwt.sign({ role: claims.role, societies: claims.societies }, key, {
        algorithm: ALGORITHM,
        subject: claims.sub,
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: accessTtlSeconds,
      }),
    /** The claims, or undefined for any token that is not ours, not intact or not current. */
    verifyAccess: (token: string): AccessClaims | undefined => {
      try {
        const payload = jwt.verify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
        });
        if (typeof payload === 'string' || typeof payload.sub !== 'string') return undefined;
        return {
          sub: payload.sub,
          role: payload.role as Role,
          societies: (payload.societies as string[]) ?? [],
        };
      } catch {
        return undefined;
      }
    },
  };
};

export type TokenService = ReturnType<typeof createTokenService>;
