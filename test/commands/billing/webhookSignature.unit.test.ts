import { signPayload, verifySignature } from '../../../src/commands/billing/gateway/webhookSignature';

const secret = 'whsec_unit';
const body = Buffer.from('{"id":"evt_1","type":"payment.succeeded"}');
const at = new Date('2026-03-01T10:00:00Z');
const t = Math.floor(at.getTime() / 1000);

it('accepts the provider’s own signature within the tolerance', () => {
  expect(verifySignature(secret, body, signPayload(secret, body, t), at, 300)).toBe('valid');
  expect(verifySignature(secret, body, signPayload(secret, body, t - 299), at, 300)).toBe('valid');
});

it('refuses another secret, a changed body, a re-dated header and garbage', () => {
  expect(verifySignature(secret, body, signPayload('other', body, t), at, 300)).toBe('mismatch');
  expect(verifySignature(secret, Buffer.from(`${body} `), signPayload(secret, body, t), at, 300)).toBe(
    'mismatch',
  );
  const redated = signPayload(secret, body, t - 1000).replace(`t=${t - 1000}`, `t=${t}`);
  expect(verifySignature(secret, body, redated, at, 300)).toBe('mismatch');
  expect(verifySignature(secret, body, undefined, at, 300)).toBe('malformed');
  expect(verifySignature(secret, body, 't=abc,v1=zz', at, 300)).toBe('malformed');
});

it('refuses a correctly signed delivery outside the tolerance, past or future', () => {
  expect(verifySignature(secret, body, signPayload(secret, body, t - 301), at, 300)).toBe('stale');
  expect(verifySignature(secret, body, signPayload(secret, body, t + 301), at, 300)).toBe('stale');
});
