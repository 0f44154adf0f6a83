import type { Knex } from 'knex';
import { normaliseEmail, normalisePhone } from '../../commands/identity/contactDetails';
import { decoyHash, verifyPassword } from '../../commands/identity/passwords';
import { findCredentials, findUser, type UserRow } from '../../projections/identity/userQueries';
import { HttpProblem } from '../http/errorHandler';
import { throttleKey, type LoginThrottle } from './loginThrottle';

export const accountInactive = () =>
  new HttpProblem(401, 'unauthenticated', 'Sign in to do this', 'This account is inactive.');

/**
 * Who a login names, if the password is theirs. The account is throttled before the password is
 * checked; an unknown identifier is checked against a decoy hash so it takes as long as a known
 * one, and fails the same way (which identifiers have accounts stays unsaid).
 */
export const signInWithPassword = async (
  knex: Knex,
  throttle: LoginThrottle,
  login: ({ email: string } | { phone_number: string }) & { password: string },
): Promise<UserRow> => {
  const identifier =
    'email' in login
      ? { email: normaliseEmail(login.email) }
      : { phoneNumber: normalisePhone(login.phone_number) ?? '' };
  const credentials = await findCredentials(knex, identifier);
  const accountKey = throttleKey(identifier, credentials?.user_id);
  const decision = await throttle.attempt(accountKey);
  if (!decision.allowed) {
    throw new HttpProblem(
      429,
      'login-throttled',
      'Too many failed sign-ins for this account',
      `Try again in ${decision.retryAfterSeconds} s.`,
      {},
      { 'Retry-After': String(decision.retryAfterSeconds) },
    );
  }
  const valid = await verifyPassword(credentials?.password_hash ?? (await decoyHash()), login.password);
  const user = valid && credentials ? await findUser(knex, credentials.user_id) : undefined;
  if (!user) {
    await throttle.recordFailure(accountKey);
    throw new HttpProblem(401, 'invalid-credentials', 'Wrong email, phone or password');
  }
  if (user.status !== 'active') throw accountInactive();
  await throttle.recordSuccess(accountKey);
  return user;
};
