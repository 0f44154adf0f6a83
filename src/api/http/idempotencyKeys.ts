import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import stringify from 'safe-stable-stringify';
import { MicroBatcher } from '../../events/store/microBatcher';
import { HttpProblem } from './errorHandler';
import { claimTogether, type Claim } from './idempotencyClaims';

/**
 * Idempotency-Key, with Stripe's semantics. A key belongs to one caller (the signed-in principal,
 * or on an anonymous route the identity the request claims, e.g. a signup's email) and one
 * operation (method and route), and names one request (its path parameters, query and body):
 *
 * - the same caller, key and request again: the command runs with the same command id, which the
 *   write side recognises and answers with the first outcome, writing nothing;
 * - the same caller and key with a different request: 422 `idempotency-key-reused`, nothing run;
 * - another caller with the same key: an independent request, as if the key were new.
 *
 * Concurrent duplicates are not refused: they carry one command id, so the write side's own
 * deduplication (stream-level command ids, optimistic concurrency) lets exactly one of them write
 * and answers the others with its outcome.
 *
 * The command id is an HMAC of caller, operation, key and request, so entity ids derived from it
 * differ between callers and between requests, and the history never shows a client's raw key.
 * The 422 check lasts as long as the key's row (`IDEMPOTENCY_KEY_RETENTION_HOURS`, default 24 h);
 * a replay of the same request is recognised for as long as its events exist.
 */
export interface IdempotencyKeys {
  /** The command id seed for this request, after checking the key was not used for another one. */
  claim(request: KeyedRequest): Promise<string>;
  /** Forgets keys claimed before `before` (the 422 window); replays stay recognised. */
  purge(before: Date): Promise<number>;
}

export interface KeyedRequest {
  key: string;
  /** `user:<id>` for a principal, or what an anonymous route names its caller by. */
  callerScope: string;
  /** Method and route template, e.g. `POST /api/v1/bookings`. */
  operation: string;
  /** What the request asks for: path parameters, query and body as parsed. */
  request: unknown;
}

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

export const createIdempotencyKeys = (knex: Knex, secret: string): IdempotencyKeys => {
  const hmac = (...parts: string[]) =>
    createHmac('sha256', secret).update(parts.join('\u0000')).digest('base64url');

  // Claims made at once share one statement (a booking burst: one round trip, not one each).
  const claims = new MicroBatcher<Claim, string | undefined>((batch) => claimTogether(knex, batch));
  const recordedFingerprint = (keyHmac: string, fingerprint: string) =>
    claims.submit({ keyHmac, fingerprint });

  return {
    async claim({ key, callerScope, operation, request }) {
      const keyHmac = hmac('key', callerScope, operation, key);
      const fingerprint = hmac('request', stringify(request) ?? '');
      const recorded =
        (await recordedFingerprint(keyHmac, fingerprint)) ??
        (await recordedFingerprint(keyHmac, fingerprint));
      if (recorded !== fingerprint) {
        throw new HttpProblem(
          422,
          'idempotency-key-reused',
          'This Idempotency-Key was used for a different request',
          'You sent this Idempotency-Key before with a different body or path. A key names one request: ' +
            'resend that request unchanged to get its answer, or use a new key for a new request.',
        );
      }
      return hmac('command', keyHmac, fingerprint);
    },
    async purge(before) {
      return knex('idempotency_keys').where('created_at', '<', before).delete();
    },
  };
};
