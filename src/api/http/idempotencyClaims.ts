import type { Knex } from 'knex';
import type { BatchAnswers } from '../../events/store/microBatcher';

/** One Idempotency-Key claim as the table takes it: the key's HMAC and its request's fingerprint. */
export interface Claim {
  readonly keyHmac: string;
  readonly fingerprint: string;
}

/**
 * Inserts each new key, and reads each key already there, in one statement. Keys go in in byte
 * order, so two batches sharing keys (two processes) wait on each other in one order and never
 * deadlock. A key committed by a concurrent transaction after this statement's snapshot is
 * invisible to both halves: it comes back without an answer, and its caller asks again.
 */
const CLAIM_KEYS = `WITH asked AS (
     SELECT * FROM jsonb_to_recordset(?::jsonb) AS a(key_hmac text, fingerprint text)),
   claimed AS (
     INSERT INTO idempotency_keys (key_hmac, fingerprint)
     SELECT key_hmac, fingerprint FROM asked ORDER BY key_hmac COLLATE "C"
     ON CONFLICT (key_hmac) DO NOTHING RETURNING key_hmac, fingerprint)
   SELECT key_hmac, fingerprint FROM claimed
   UNION ALL SELECT k.key_hmac, k.fingerprint FROM idempotency_keys k JOIN asked a USING (key_hmac)`;

const claimOnce = async (knex: Knex, claims: readonly Claim[]): Promise<Map<string, string>> => {
  const rows = claims.map((c) => ({ key_hmac: c.keyHmac, fingerprint: c.fingerprint }));
  const { rows: recorded } = await knex.raw<{ rows: { key_hmac: string; fingerprint: string }[] }>(
    CLAIM_KEYS,
    [JSON.stringify(rows)],
  );
  return new Map(recorded.map((r) => [r.key_hmac, r.fingerprint]));
};

/**
 * Claims asked at once (see MicroBatcher), each answered with the fingerprint its key holds now
 * (undefined: not visible yet, ask again). The same key asked twice in one batch is inserted once,
 * with the first asker's fingerprint: the second asker then sees it as a concurrent claim already
 * there, as it would have one statement later. If the statement fails as a whole (a deadlock with
 * an older process), each claim is sent alone for its own answer.
 */
export const claimTogether = async (
  knex: Knex,
  claims: readonly Claim[],
): Promise<BatchAnswers<string | undefined>> => {
  const first = new Map<string, Claim>();
  for (const c of claims) if (!first.has(c.keyHmac)) first.set(c.keyHmac, c);
  try {
    const recorded = await claimOnce(knex, [...first.values()]);
    return claims.map((c) => ({ ok: true as const, value: recorded.get(c.keyHmac) }));
  } catch {
    return Promise.all(
      claims.map((c) =>
        claimOnce(knex, [c]).then(
          (recorded) => ({ ok: true as const, value: recorded.get(c.keyHmac) }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      ),
    );
  }
};
