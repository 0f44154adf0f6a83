import type { PaymentGateway } from './paymentGateway';

/**
 * Cash or UPI an admin has already received: there is nobody to ask, so recording it completes
 * it, and a refund is money the admin hands back (the reference says so).
 */
export const manualGateway = (): PaymentGateway => ({
  name: 'manual',
  charge: async (request) => ({ status: 'completed', reference: `manual_${request.transactionId}` }),
  lookup: async (request) => ({ status: 'completed', reference: `manual_${request.transactionId}` }),
  refund: async (request) => ({ reference: `manual_refund_${request.refundId}` }),
});
