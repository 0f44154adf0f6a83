import type { PaymentFact } from './billingFacts';
import { changedRow, type PaymentRow } from './billingRows';

/** The payment's row after one fact; undefined leaves it as it is. */
export const evolvePayment = (row: PaymentRow | undefined, fact: PaymentFact): PaymentRow | undefined => {
  const { event } = fact;
  switch (fact.type) {
    case 'PaymentInitiated': {
      if (row) return undefined;
      const d = fact.data;
      return {
        id: d.paymentId,
        member_id: d.memberId,
        society_id: d.societyId,
        member_subscription_id: d.subscriptionId,
        plan_id: d.planId,
        plan_name: d.planName,
        amount: d.amount,
        currency: d.currency,
        payment_status: 'pending',
        transaction_id: d.transactionId,
        method: d.method,
        gateway: d.gateway,
        time_zone: d.timeZone,
        gateway_reference: null,
        failure_reason: null,
        refunded_amount: '0.00',
        invoice_number: null,
        invoice_issued_at: null,
        status_checks: 0,
        last_checked_at: null,
        payment_date: null,
        created_at: event.createdAt,
        updated_at: event.createdAt,
        version: event.revision,
      };
    }
    case 'PaymentCompleted':
      return changedRow(row, event, {
        payment_status: 'completed',
        gateway_reference: fact.data.gatewayReference,
        payment_date: fact.data.completedAt,
      });
    case 'PaymentFailed':
      return changedRow(row, event, { payment_status: 'failed', failure_reason: fact.data.reason });
    case 'PaymentRefunded':
      return changedRow(row, event, {
        payment_status: 'refunded',
        refunded_amount: fact.data.totalRefunded,
      });
    case 'PaymentStatusChecked':
      return changedRow(row, event, {
        status_checks: fact.data.attempt,
        last_checked_at: fact.data.checkedAt,
      });
    case 'InvoiceIssued':
      return changedRow(row, event, {
        invoice_number: fact.data.invoiceNumber,
        invoice_issued_at: fact.data.issuedAt,
      });
  }
};
