import type { Knex } from 'knex';
import { administeredSocieties, type UserRow } from '../../projections/identity/userQueries';
import type { IdentityDependencies } from '../dependencies';

/** An account as the API shows it: a society admin's answer names the societies they administer. */
export const toUserView = async (knex: Knex, user: UserRow) => ({
  id: user.id,
  name: user.name,
  email: user.email,
  phone_number: user.phone_number,
  phone_verified: user.phone_verified,
  role: user.role,
  status: user.status,
  society_id: user.society_id,
  administers: user.role === 'society_admin' ? await administeredSocieties(knex, user.id) : [],
});

/**
 * A session for a signed-in user: an access token carrying what they administer, the refresh
 * token (a new one, or the one a refresh just rotated to), and the account.
 */
export const sessionFor = async (
  knex: Knex,
  identity: IdentityDependencies,
  user: UserRow,
  rotatedRefreshToken?: string,
) => {
  const administers = user.role === 'society_admin' ? await administeredSocieties(knex, user.id) : [];
  return {
    token: identity.tokens.issueAccess({ sub: user.id, role: user.role, societies: administers }),
    refresh_token: rotatedRefreshToken ?? (await identity.refreshTokens.issue(user.id)),
    expires_in: identity.tokens.accessTtlSeconds,
    user: await toUserView(knex, user),
  };
};
