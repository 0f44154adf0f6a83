import type { PaymentEvent } from '../../../src/events/billing/paymentEvents';

/** One 300.00 INR payment and its facts, for payment decider specs; the clock is `now`. */
export const now = '2026-03-01T10:00:00.000Z';
export const paymentId = 'b1111111-1111-4111-8111-111111111111';
export const societyId = '6a0f8a34-5f51-4d0c-9a43-8d1a5c2d7e11';
export const adminId = 'd1111111-1111-4111-8111-111111111111';

export const paymentInitiated: PaymentEvent = {
  type: 'PaymentInitiated',
  data: {
    paymentId,
    memberId: '3b9d2c1e-6f0a-4e7b-9c21-5d8e7f6a1b01',
    societyId,
    subscriptionId: 'a1111111-1111-4111-8111-111111111111',
    planId: '0d7e2f3a-1b4c-4d5e-8f60-718293a4b5c6',
    planName: 'Monthly',
    amount: '300.00',
    currency: 'INR',
    transactionId: 'txn_1',
    method: 'online',
    gateway: 'simulated',
    timeZone: 'Asia/Kolkata',
    initiatedAt: now,
  },
};

export const paymentCompleted: PaymentEvent = {
  type: 'PaymentCompleted',
  data: { paymentId, completedAt: now, gatewayReference: 'r' },
};
