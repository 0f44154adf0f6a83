import type { Knex } from 'knex';

const FREE_ATTEMPTS = 5;
const MAX_BLOCK_SECONDS = 900;
/** 2^10 s already exceeds the cap; bounding the exponent keeps power() far from overflowing. */
const MAX_EXPONENT = 10;

/** SQL for how long the account waits once it has used `attempts` attempts (the 5th: 1 s, 2 s, 4 s …). */
const blockAfter = (attempts: string) =>
  `make_interval(secs => least(power(2, least(${attempts} - ${FREE_ATTEMPTS}, ${MAX_EXPONENT})), ${MAX_BLOCK_SECONDS}))`;

/**
 * Whose attempts are counted together: an existing account's, whether it is tried by email or by
 * phone. An identifier with no account is counted on its own, throttled exactly as an account
 * would be, so throttling does not reveal which identifiers have accounts.
 */
export const throttleKey = (
  login: { email: string } | { phoneNumber: string },
  accountId: string | undefined,
): string => {
  if (accountId) return `user:${accountId}`;
  return 'email' in login ? `email:${login.email}` : `phone:${login.phoneNumber}`;
};

export type AttemptDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Failed logins slow an account down: five attempts are free, then the account waits 1 s, 2 s,
 * 4 s … (up to 15 min) between attempts. A success clears the record. Per-IP limits are the rate
 * limiter's job; this one follows the account across addresses and across API replicas.
 *
 * An attempt is counted BEFORE its password is checked, in one statement (the row lock of
 * INSERT … ON CONFLICT DO UPDATE serialises concurrent attempts): checking first and counting
 * after the slow hash let twenty parallel guesses all pass a check that allowed five.
 */
export const createLoginThrottle = (knex: Knex) => ({
  /** Counts an attempt on the account, or refuses it while the account is blocked. */
  attempt: async (accountKey: string): Promise<AttemptDecision> => {
    // The DO UPDATE's WHERE leaves a blocked row untouched and returns nothing: refused.
    const counted = await knex.raw(
      `INSERT INTO login_throttle AS t (account_key, failures) VALUES (?, 1)
       ON CONFLICT (account_key) DO UPDATE SET
         failures = t.failures + 1,
         blocked_until = CASE WHEN t.failures + 1 >= ${FREE_ATTEMPTS}
           THEN now() + ${blockAfter('(t.failures + 1)')} ELSE NULL END,
         updated_at = now()
       WHERE t.blocked_until IS NULL OR t.blocked_until <= now()
       RETURNING failures`,
      [accountKey],
    );
    if (counted.rows.length > 0) return { allowed: true };
    // Only for Retry-After: the decision above was atomic; this read may be a moment later.
    const row = await knex('login_throttle')
      .where({ account_key: accountKey })
      .first(knex.raw('extract(epoch from blocked_until - now()) AS seconds'));
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(row?.seconds ?? 1))) };
  },
  /** The wait runs from when the failure is known, not from when the (slow) check began. */
  recordFailure: async (accountKey: string): Promise<void> => {
    await knex.raw(
      `UPDATE login_throttle SET
         blocked_until = greatest(blocked_until, now() + ${blockAfter('failures')}),
         updated_at = now()
       WHERE account_key = ? AND failures >= ${FREE_ATTEMPTS}`,
      [accountKey],
    );
  },
  recordSuccess: async (accountKey: string): Promise<void> => {
    await knex('login_throttle').where({ account_key: accountKey }).delete();
  },
});

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
