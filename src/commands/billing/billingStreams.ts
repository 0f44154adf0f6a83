import { createHash } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Billing's own claim and sequence streams, beside the entity streams in `events/streams.ts`
 * (`plan-<id>`, `payment-<id>`, `member-subscriptions-<memberId>`).
 */
export const billingStreams = {
  /** A plan name within its society (`*` for plans offered to every society), case-insensitive. */
  planName: (societyId: string | null, name: string) =>
    `unique-plan-name-${sha256(`${societyId ?? '*'}\n${name.trim().toLowerCase()}`)}`,
  /** A gateway transaction id: the first payment that claims it owns it for good. */
  transactionId: (transactionId: string) => `unique-transaction-${sha256(transactionId)}`,
  /** A webhook delivery id: claimed once, so a replayed delivery is recognised and absorbed. */
  webhookDelivery: (deliveryId: string) => `webhook-delivery-${sha256(deliveryId)}`,
  invoiceSequence: (societyId: string) => `invoice-sequence-${societyId}`,
};
