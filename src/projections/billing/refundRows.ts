import type { PaymentFact, Refunded } from './billingFacts';
import type { BillingTables, PaymentRow, RefundRow } from './billingRows';

type RefundFact = Extract<PaymentFact, { type: 'RefundRequested' | 'RefundFailed' }>;

/**
 * The refund's row after a request or a refusal; undefined leaves it as it is. A row only moves
 * forward from `requested`, so a replayed fact never rolls an outcome back.
 */
export const evolveRefund = (
  row: RefundRow | undefined,
  fact: RefundFact,
  tables: Pick<BillingTables, 'payments'>,
): RefundRow | undefined => {
  if (fact.type === 'RefundRequested') {
    if (row) return undefined;
    const payment = tables.payments.get(fact.data.paymentId);
    if (!payment)
      throw new Error(`payment_refunds: refund requested on payment ${fact.data.paymentId}, never initiated`);
    return {
      id: fact.data.refundId,
      payment_id: fact.data.paymentId,
      amount: fact.data.amount,
      currency: payment.currency,
      reason: fact.data.reason,
      refunded_by: fact.data.requestedBy,
      status: 'requested',
      requested_at: fact.data.requestedAt,
      refunded_at: null,
      failed_at: null,
      failure_reason: null,
    };
  }
  if (row?.status !== 'requested') return undefined;
  return { ...row, status: 'failed', failed_at: fact.data.failedAt, failure_reason: fact.data.reason };
};

/** The refund's row once money went back: its request completed, or (older histories) a direct refund. */
export const completedRefund = (
  row: RefundRow | undefined,
  payment: PaymentRow,
  refunded: Refunded,
): RefundRow | undefined => {
  if (row && row.status !== 'requested') return undefined;
  return {
    id: refunded.refundId,
    payment_id: payment.id,
    amount: refunded.amount,
    currency: payment.currency,
    reason: refunded.reason,
    refunded_by: refunded.refundedBy,
    status: 'completed',
    requested_at: row?.requested_at ?? refunded.refundedAt,
    refunded_at: refunded.refundedAt,
    failed_at: null,
    failure_reason: null,
  };
};
