import { randomUUID } from 'node:crypto';
import type { ChargeRequest, GatewayOutcome, PaymentGateway, RefundRequest } from './paymentGateway';
import { signPayload } from './webhookSignature';

/**
 * A provider that behaves the same every time, for the embedded default, demos and tests. The
 * transaction id chooses the outcome:
 * - contains `fail`    → declined (`card_declined`);
 * - contains `pending` → pending at first; the next lookup (the status check) finds it paid,
 *                        and `webhookFor` produces the provider's signed "succeeded" delivery;
 * - anything else      → paid at once.
 */
export const simulatedOutcome = (transactionId: string): 'completed' | 'failed' | 'pending' =>
  /fail/i.test(transactionId) ? 'failed' : /pending/i.test(transactionId) ? 'pending' : 'completed';

const reference = (request: ChargeRequest) => `sim_${request.transactionId}`;

export const simulatedGateway = (): PaymentGateway => ({
  name: 'simulated',
  charge: async (request): Promise<GatewayOutcome> => {
    switch (simulatedOutcome(request.transactionId)) {
      case 'failed':
        return { status: 'failed', reference: reference(request), reason: 'card_declined' };
      case 'pending':
        return { status: 'pending', reference: reference(request) };
      case 'completed':
        return { status: 'completed', reference: reference(request) };
    }
  },
  lookup: async (request): Promise<GatewayOutcome> =>
    simulatedOutcome(request.transactionId) === 'failed'
      ? { status: 'failed', reference: reference(request), reason: 'card_declined' }
      : { status: 'completed', reference: reference(request) },
  refund: async (request: RefundRequest) => ({ reference: `sim_refund_${request.refundId}` }),
});

/** The signed delivery the simulated provider would POST to /api/v1/payments/webhook. */
export const simulatedWebhook = (
  secret: string,
  notice: {
    transactionId: string;
    outcome: 'payment.succeeded' | 'payment.failed';
    deliveryId?: string;
    reason?: string;
  },
  at: Date,
): { body: string; signature: string; deliveryId: string } => {
  const deliveryId = notice.deliveryId ?? `evt_${randomUUID()}`;
  const body = JSON.stringify({
    id: deliveryId,
    type: notice.outcome,
    created: Math.floor(at.getTime() / 1000),
    data: {
      transaction_id: notice.transactionId,
      reference: `sim_${notice.transactionId}`,
      ...(notice.reason ? { failure_reason: notice.reason } : {}),
    },
  });
  return { body, deliveryId, signature: signPayload(secret, body, Math.floor(at.getTime() / 1000)) };
};
