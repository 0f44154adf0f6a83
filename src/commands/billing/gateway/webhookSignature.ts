import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stripe-style signatures: header `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is inside the signed text, so an old delivery cannot be re-dated; the tolerance
 * bounds how long a captured delivery could be replayed, and delivery ids close even that window.
 */
export const SIGNATURE_HEADER = 'arcfit-signature';

export const signPayload = (secret: string, rawBody: string | Buffer, timestampSeconds: number): string => {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
};

export type SignatureVerdict = 'valid' | 'malformed' | 'mismatch' | 'stale';

export const verifySignature = (
  secret: string,
  rawBody: Buffer,
  header: string | undefined,
  now: Date,
  toleranceSeconds: number,
): SignatureVerdict => {
  if (!header) return 'malformed';
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  // A provider rotating secrets sends several v1 values; any one matching is enough.
  const candidates = parts.filter(([k, v]) => k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => v!);
  if (!Number.isInteger(t) || candidates.length === 0) return 'malformed';
  const expected = Buffer.from(signPayload(secret, rawBody, t).split('v1=')[1]!, 'hex');
  const matches = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  if (!matches) return 'mismatch';
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return 'stale';
  return 'valid';
};
