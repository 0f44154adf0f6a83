import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `ArcFit-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the
 * subscription's secret. The timestamp is signed too, so a receiver can refuse old replays.
 */
export const signWebhook = (secret: string, body: string, at: Date): string => {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
};

/** What a receiver does (shown in the README): recompute and compare in constant time. */
export const verifyWebhookSignature = (secret: string, body: string, header: string): boolean => {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};
