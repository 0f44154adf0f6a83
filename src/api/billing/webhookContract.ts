import { SIGNATURE_HEADER } from '../../commands/billing/gateway/webhookSignature';
import { webhookPayloadSchema } from './billingSchemas';

/**
 * What the payment provider sends to POST /payments/webhook, for the OpenAPI document. The route
 * reads the body's raw bytes itself (the signature is over them), so this is documented beside
 * the route rather than parsed by it.
 */
export const webhookNoticeSchema = webhookPayloadSchema.openapi('WebhookNotice', {
  description:
    'A payment provider’s notice. `id` is the delivery’s id (a delivery already applied is acknowledged, not applied again); ' +
    '`type` `payment.succeeded` or `payment.failed` settles the payment whose gateway transaction is `data.transaction_id`; ' +
    'any other type is acknowledged and ignored.',
  example: {
    id: 'evt_1QfJ8kL2mN4pR6sT',
    type: 'payment.succeeded',
    data: { transaction_id: 'txn_3QfJ8kL2mN4pR6sT', reference: 'ch_9XyZ2aB4cD6eF8gH' },
  },
});

/** How a delivery is signed and checked, in the words its sender needs. */
export const webhookSignatureDescription = (toleranceSeconds: number): string =>
  [
    'Called by the payment provider, not by clients. Every delivery is signed with the webhook secret shared with the provider (PAYMENT_WEBHOOK_SECRET):',
    '',
    `- Header \`${SIGNATURE_HEADER}\`: \`t=<unix seconds>,v1=<signature>\`.`,
    '- Signature: the lowercase hex HMAC-SHA256, keyed with the secret, of the timestamp, a dot and the raw request body exactly as sent (`<t>.<body>`). The bytes are verified before the JSON is parsed, so sign what you send.',
    '- Several `v1=` values may be sent while the secret is rotated; one matching is enough.',
    `- Timestamp tolerance: ${toleranceSeconds} s either side of the server’s clock (PAYMENT_WEBHOOK_TOLERANCE_SECONDS); an older or later one is refused (401 webhook-timestamp-stale), so a captured delivery cannot be replayed later.`,
    '- A signature that is missing, malformed or does not match is refused (401 webhook-signature-invalid); without a configured secret every delivery is refused (503).',
  ].join('\n');
