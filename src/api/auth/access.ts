import type { Request } from 'express';
import type { Role } from '../../events/identity/userEvents';
import { HttpProblem } from '../http/errorHandler';
import type { Principal } from './principal';

/**
 * Who may call a route, declared next to it. Object-level rules (this society's admin, this
 * member's own data) are checked in the handler with the helpers below, after the route's policy.
 */
export type PublicAccess = { kind: 'public' };
export type SignedInAccess = { kind: 'signed-in'; roles?: readonly Role[]; note?: string };
export type Access = PublicAccess | SignedInAccess;

export const publicAccess: PublicAccess = { kind: 'public' };
export const signedIn = (note?: string): SignedInAccess => ({ kind: 'signed-in', note });
export const rolesOnly = (roles: readonly Role[], note?: string): SignedInAccess => ({
  kind: 'signed-in',
  roles,
  note,
});

/** History, audit trail and point-in-time state: read-only auditors and super admins. */
export const auditorsOnly = (note?: string): SignedInAccess => rolesOnly(['auditor', 'super_admin'], note);

export const describeAccess = (access: Access): string =>
  access.kind === 'public'
    ? 'anyone'
    : `${access.roles ? access.roles.join(', ') : 'any signed-in user'}${access.note ? ` — ${access.note}` : ''}`;

const unauthenticated = (req: Request) =>
  new HttpProblem(
    401,
    'unauthenticated',
    'Sign in to do this',
    req.authFailure === 'inactive-user'
      ? 'This account is inactive.'
      : req.authFailure === 'invalid-token'
        ? 'The access token is not valid (expired, altered or not ours).'
        : 'Send an access token: Authorization: Bearer <token>.',
    {},
    { 'WWW-Authenticate': 'Bearer realm="arcfit"' },
  );

export const forbidden = (detail: string) => new HttpProblem(403, 'forbidden', 'You may not do this', detail);

/** Applies a route's declared policy; returns the principal for signed-in routes. */
export const enforceAccess = (access: Access, req: Request): Principal | undefined => {
  if (access.kind === 'public') return req.principal;
  if (!req.principal) throw unauthenticated(req);
  if (access.roles && !access.roles.includes(req.principal.role)) {
    throw forbidden(`Only ${access.roles.join(', ')} may do this.`);
  }
  return req.principal;
};

/** The societies a caller administers: every one (super admins), some, or none (anyone else). */
export const administeredSocieties = (principal: Principal | undefined): 'every' | readonly string[] => {
  if (principal?.role === 'super_admin') return 'every';
  return principal?.role === 'society_admin' ? principal.societies : [];
};

export const canAdminister = (principal: Principal, societyId: string): boolean => {
  const administered = administeredSocieties(principal);
  return administered === 'every' || administered.includes(societyId);
};

export const assertAdministers = (principal: Principal, societyId: string): void => {
  if (!canAdminister(principal, societyId)) throw forbidden('Only an admin of this society may do this.');
};
