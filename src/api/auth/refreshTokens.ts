import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * How long after a token is spent a second presentation counts as the same client's concurrent
 * refresh (two tabs, a retry after a dropped response) rather than a leak.
 */
export const REUSE_GRACE_SECONDS = 10;

export type RotationOutcome =
  | { kind: 'rotated'; userId: string; token: string }
  /** Spent moments ago by another request, whose new token stands: nothing is revoked. */
  | { kind: 'in-use' }
  | { kind: 'reused' }
  | { kind: 'invalid' };

/**
 * Rotating refresh tokens, stored hashed. Each refresh spends the token and issues the next of
 * its family; presenting a spent token again means it leaked, so the whole family is revoked —
 * unless it was spent within the grace window: then the loser of a race is told to use the
 * token the winner received, and revoking would only have logged the rightful client out.
 */
export const createRefreshTokens = (knex: Knex, ttlSeconds: number) => {
  const issueIn = async (db: Knex | Knex.Transaction, userId: string, familyId: string): Promise<string> => {
    const token = randomBytes(32).toString('base64url');
    await db('refresh_tokens').insert({
      token_hash: hash(token),
      family_id: familyId,
      user_id: userId,
      expires_at: new Date(Date.now() + ttlSeconds * 1000),
    });
    return token;
  };

  return {
    issue: (userId: string) => issueIn(knex, userId, randomUUID()),

    rotate: (token: string): Promise<RotationOutcome> =>
      knex.transaction(async (trx) => {
        // Spending is one conditional update: of two concurrent refreshes, exactly one wins.
        const [spent] = await trx('refresh_tokens')
          .where({ token_hash: hash(token), used_at: null, revoked_at: null })
          .andWhere('expires_at', '>', trx.fn.now())
          .update({ used_at: trx.fn.now() })
          .returning(['user_id', 'family_id']);
        if (spent)
          return {
            kind: 'rotated',
            userId: spent.user_id,
            token: await issueIn(trx, spent.user_id, spent.family_id),
          };
        // The grace is judged by the database's clock, the one that stamped used_at.
        const known = await trx('refresh_tokens')
          .where({ token_hash: hash(token) })
          .first(
            'family_id',
            'used_at',
            'revoked_at',
            trx.raw('used_at > now() - make_interval(secs => ?) AS within_grace', [REUSE_GRACE_SECONDS]),
          );
        if (known?.used_at && !known.revoked_at && known.within_grace) return { kind: 'in-use' };
        if (known?.used_at) {
          await trx('refresh_tokens')
            .where({ family_id: known.family_id, revoked_at: null })
            .update({ revoked_at: trx.fn.now() });
          return { kind: 'reused' };
        }
        return { kind: 'invalid' };
      }),

    /** Logout: the token and every token of its family stop working. How many were still live. */
    revokeFamilyOf: async (token: string): Promise<number> => {
      const known = await knex('refresh_tokens')
        .where({ token_hash: hash(token) })
        .first('family_id');
      if (!known) return 0;
      return knex('refresh_tokens')
        .where({ family_id: known.family_id, revoked_at: null })
        .update({ revoked_at: knex.fn.now() });
    },

    /** Every session of the user (logout everywhere, deactivation). How many were still live. */
    revokeAllFor: (userId: string): Promise<number> =>
      knex('refresh_tokens')
        .where({ user_id: userId, revoked_at: null })
        .update({ revoked_at: knex.fn.now() }),
  };
};

export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
