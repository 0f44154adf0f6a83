import jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET } from '../../support/testApp';

/**
 * Access tokens an attacker can make: every one must be treated as no token at all (401 on a
 * signed-in route). The real service pins HS256, its issuer and its audience, and re-reads the
 * user per request, so a claim of a role inside a genuine signature grants nothing.
 */
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const ISSUER = 'arcfit-roster';
const AUDIENCE = 'arcfit-api';

export const forgedTokens = (victim: { userId: string; token: string }) => {
  const claims = { role: 'super_admin', societies: [] };
  const now = Math.floor(Date.now() / 1000);
  const [header, , signature] = victim.token.split('.');
  return {
    'alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, sub: victim.userId, iss: ISSUER, aud: AUDIENCE, exp: now + 600 })}.`,
    'wrong key': jwt.sign(claims, 'another-secret-another-secret-another-secret', {
      algorithm: 'HS256',
      subject: victim.userId,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 600,
    }),
    'other algorithm (HS512, right key)': jwt.sign(claims, TEST_JWT_SECRET, {
      algorithm: 'HS512',
      subject: victim.userId,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 600,
    }),
    expired: jwt.sign({ ...claims, exp: now - 60, iat: now - 1000 }, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      subject: victim.userId,
      issuer: ISSUER,
      audience: AUDIENCE,
    }),
    'wrong audience': jwt.sign(claims, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      subject: victim.userId,
      issuer: ISSUER,
      audience: 'someone-else',
      expiresIn: 600,
    }),
    'wrong issuer': jwt.sign(claims, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      subject: victim.userId,
      issuer: 'evil',
      audience: AUDIENCE,
      expiresIn: 600,
    }),
    'payload swapped under a genuine signature': `${header}.${base64url({ ...claims, sub: victim.userId, iss: ISSUER, aud: AUDIENCE, exp: now + 600 })}.${signature}`,
    'subject that does not exist': jwt.sign(claims, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      subject: '00000000-0000-4000-8000-000000000000',
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 600,
    }),
  };
};
