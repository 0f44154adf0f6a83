import type { Knex } from 'knex';

const FREE_FAILURES = 5;
const MAX_BLOCK_SECONDS = 900;

/**
 * Failed logins slow an account down: after five, each further failure blocks the account for
 * twice as long as the last (1 s, 2 s, 4 s … up to 15 min). A success clears the record.
 * Per-IP limits are the rate limiter's job; this one follows the account across addresses.
 */
export const createLoginThrottle = (knex: Knex) => ({
  /** Seconds the account must wait, or 0. */
  blockedFor: async (accountKey: string): Promise<number> => {
    const row = await knex('login_throttle').where({ account_key: accountKey }).first('blocked_until');
    if (!row?.blocked_until) return 0;
    return Math.max(0, Math.ceil((new Date(row.blocked_until).getTime() - Date.now()) / 1000));
  },
  recordFailure: async (accountKey: string): Promise<void> => {
    await knex.raw(
      `INSERT INTO login_throttle (account_key, failures) VALUES (?, 1)
       ON CONFLICT (account_key) DO UPDATE SET
         failures = login_throttle.failures + 1,
         blocked_until = CASE WHEN login_throttle.failures + 1 > ?
           THEN now() + make_interval(secs => least(power(2, login_throttle.failures + 1 - ? - 1), ?))
           ELSE NULL END,
         updated_at = now()`,
      [accountKey, FREE_FAILURES, FREE_FAILURES, MAX_BLOCK_SECONDS],
    );
  },
  recordSuccess: async (accountKey: string): Promise<void> => {
    await knex('login_throttle').where({ account_key: accountKey }).delete();
  },
});

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
