import { invoiceSequenceDecider } from '../../../src/commands/billing/invoiceSequenceDecider';
import { paymentDecider, type PaymentCommand } from '../../../src/commands/billing/paymentDecider';
import type { PaymentEvent } from '../../../src/events/billing/paymentEvents';
import { fromMinorUnits, normaliseAmount, toMinorUnits } from '../../../src/events/billing/money';
import { deciderSpec } from '../../support/deciderSpec';
import {
  adminId,
  now,
  paymentCompleted as completed,
  paymentId,
  paymentInitiated as initiated,
  societyId,
} from '../../support/billing/paymentFixtures';

const spec = deciderSpec(paymentDecider);
const refundId = 'c1111111-1111-4111-8111-111111111111';

const refund = (amount: string | null): PaymentCommand => ({
  type: 'RefundPayment',
  paymentId,
  refundId,
  amount,
  reason: 'moved out',
  refundedBy: adminId,
  gatewayReference: 'rr',
});

it('completing twice changes nothing; failing a completed payment is refused', () => {
  spec
    .given([initiated])
    .when({ type: 'CompletePayment', paymentId, gatewayReference: 'r' })
    .then([completed]);
  spec
    .given([initiated, completed])
    .when({ type: 'CompletePayment', paymentId, gatewayReference: 'r' })
    .then([]);
  spec
    .given([initiated, completed])
    .when({ type: 'FailPayment', paymentId, reason: 'x' })
    .thenRefused('payment-already-settled', 409);
});

it('refunds only a completed payment, and never more than is left', () => {
  spec.given([initiated]).when(refund(null)).thenRefused('payment-not-refundable', 422);
  spec.given([initiated, completed]).when(refund('300.01')).thenRefused('refund-exceeds-payment', 422);
  spec
    .given([initiated, completed])
    .when(refund('100'))
    .then([
      {
        type: 'PaymentRefunded',
        data: {
          paymentId,
          refundId,
          amount: '100.00',
          totalRefunded: '100.00',
          reason: 'moved out',
          refundedBy: adminId,
          refundedAt: now,
          gatewayReference: 'rr',
        },
      },
    ]);
  const partly: PaymentEvent = {
    type: 'PaymentRefunded',
    data: {
      paymentId,
      refundId,
      amount: '100.00',
      totalRefunded: '100.00',
      reason: 'x',
      refundedBy: adminId,
      refundedAt: now,
      gatewayReference: 'rr',
    },
  };
  spec
    .given([initiated, completed, partly])
    .when(refund('200.01'))
    .thenRefused('refund-exceeds-payment', 422);
  spec
    .given([initiated, completed, partly])
    .when(refund(null))
    .then([
      {
        type: 'PaymentRefunded',
        data: {
          paymentId,
          refundId,
          amount: '200.00',
          totalRefunded: '300.00',
          reason: 'moved out',
          refundedBy: adminId,
          refundedAt: now,
          gatewayReference: 'rr',
        },
      },
    ]);
});

it('issues an invoice once, and only for a completed payment', () => {
  spec
    .given([initiated])
    .when({ type: 'RecordInvoice', paymentId, invoiceNumber: 1 })
    .thenRefused('payment-not-completed', 422);
  const issued: PaymentEvent = {
    type: 'InvoiceIssued',
    data: { paymentId, societyId, invoiceNumber: 7, issuedAt: now },
  };
  spec
    .given([initiated, completed])
    .when({ type: 'RecordInvoice', paymentId, invoiceNumber: 7 })
    .then([issued]);
  spec
    .given([initiated, completed, issued])
    .when({ type: 'RecordInvoice', paymentId, invoiceNumber: 8 })
    .then([]);
});

it('hands out invoice numbers in sequence, and the same number again to the same payment', () => {
  const seq = deciderSpec(invoiceSequenceDecider);
  const assigned = (n: number, p: string) => ({
    type: 'InvoiceNumberAssigned' as const,
    data: { societyId, paymentId: p, invoiceNumber: n },
  });
  seq
    .given([])
    .when({ type: 'AssignInvoiceNumber', societyId, paymentId: 'p1' })
    .then([assigned(1, 'p1')]);
  seq
    .given([assigned(1, 'p1'), assigned(2, 'p2')])
    .when({ type: 'AssignInvoiceNumber', societyId, paymentId: 'p3' })
    .then([assigned(3, 'p3')]);
  seq
    .given([assigned(1, 'p1'), assigned(2, 'p2')])
    .when({ type: 'AssignInvoiceNumber', societyId, paymentId: 'p1' })
    .then([]);
});

it('money is exact: decimal strings to minor units and back', () => {
  expect(toMinorUnits('0.1') + toMinorUnits('0.2')).toBe(toMinorUnits('0.3'));
  expect(normaliseAmount('99.5')).toBe('99.50');
  expect(fromMinorUnits(123456789)).toBe('1234567.89');
  expect(() => toMinorUnits('1.234')).toThrow(RangeError);
  expect(() => toMinorUnits('-1')).toThrow(RangeError);
});
