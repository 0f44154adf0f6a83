import {
  paymentDecider,
  refundableMinor,
  type PaymentCommand,
  type PaymentState,
} from '../../../src/commands/billing/paymentDecider';
import type { PaymentEvent } from '../../../src/events/billing/paymentEvents';
import { deciderSpec } from '../../support/deciderSpec';
import {
  adminId,
  now,
  paymentCompleted as completed,
  paymentId,
  paymentInitiated as initiated,
} from '../../support/billing/paymentFixtures';

const spec = deciderSpec(paymentDecider);
const r1 = 'c1111111-1111-4111-8111-111111111111';
const r2 = 'c2222222-2222-4222-8222-222222222222';

const request = (refundId: string, amount: string | null): PaymentCommand => ({
  type: 'RequestRefund',
  paymentId,
  refundId,
  amount,
  reason: 'moved out',
  requestedBy: adminId,
});
const requested = (refundId: string, amount: string): PaymentEvent => ({
  type: 'RefundRequested',
  data: { paymentId, refundId, amount, reason: 'moved out', requestedBy: adminId, requestedAt: now },
});
const complete = (refundId: string): Extract<PaymentCommand, { type: 'RefundPayment' }> => ({
  type: 'RefundPayment',
  paymentId,
  refundId,
  amount: '1.00', // ignored when a request is pending: the request's amount is refunded
  reason: 'other',
  refundedBy: 'e1111111-1111-4111-8111-111111111111',
  gatewayReference: `ref_${refundId}`,
});
const refunded = (refundId: string, amount: string, total: string): PaymentEvent => ({
  type: 'PaymentRefunded',
  data: {
    paymentId,
    refundId,
    amount,
    totalRefunded: total,
    reason: 'moved out',
    refundedBy: adminId,
    refundedAt: now,
    gatewayReference: `ref_${refundId}`,
  },
});
const fail = (refundId: string): PaymentCommand => ({
  type: 'FailRefund',
  paymentId,
  refundId,
  reason: 'provider_declined',
});
const failed = (refundId: string): PaymentEvent => ({
  type: 'RefundFailed',
  data: { paymentId, refundId, reason: 'provider_declined', failedAt: now },
});
const stateOf = (events: PaymentEvent[]) =>
  events.reduce(paymentDecider.evolve, paymentDecider.initialState()) as Extract<
    PaymentState,
    { exists: true }
  >;

describe('requesting a refund reserves its amount', () => {
  it('records the request, refusing what is not refundable (nothing reserved then)', () => {
    spec.given([initiated]).when(request(r1, null)).thenRefused('payment-not-refundable', 422);
    spec.given([initiated, completed]).when(request(r1, '300.01')).thenRefused('refund-exceeds-payment', 422);
    spec.given([initiated, completed]).when(request(r1, '0')).thenRefused('refund-exceeds-payment', 422);
    spec
      .given([initiated, completed])
      .when(request(r1, '100'))
      .then([requested(r1, '100.00')]);
    spec
      .given([initiated, completed])
      .when(request(r1, null))
      .then([requested(r1, '300.00')]);
  });

  it('refundable = paid − refunded − pending: two requests can never together exceed the payment', () => {
    const history = [initiated, completed, requested(r1, '200.00')];
    expect(refundableMinor(stateOf(history))).toBe(100_00);
    spec.given(history).when(request(r2, '100.01')).thenRefused('refund-exceeds-payment', 422);
    spec
      .given(history)
      .when(request(r2, null))
      .then([requested(r2, '100.00')]);
    spec
      .given([...history, requested(r2, '100.00')])
      .when(request('c3333333-3333-4333-8333-333333333333', null))
      .thenRefused('payment-fully-refunded', 422);
    const afterOne = [...history, refunded(r1, '200.00', '200.00')];
    expect(refundableMinor(stateOf(afterOne))).toBe(100_00);
    expect(stateOf(afterOne).refundedMinor).toBe(200_00);
  });

  it('requesting the same refund id again is a no-op, pending or settled', () => {
    const history = [initiated, completed, requested(r1, '200.00')];
    spec.given(history).when(request(r1, '200')).then([]);
    spec.given(history).when(request(r1, '50')).then([]);
    spec
      .given([...history, refunded(r1, '200.00', '200.00')])
      .when(request(r1, '200'))
      .then([]);
    spec
      .given([...history, failed(r1)])
      .when(request(r1, '200'))
      .then([]);
  });
});

describe('completing and failing a requested refund', () => {
  it('completes with the request’s amount, reason and requester', () => {
    spec
      .given([initiated, completed, requested(r1, '120.00')])
      .when(complete(r1))
      .then([refunded(r1, '120.00', '120.00')]);
    spec
      .given([
        initiated,
        completed,
        requested(r1, '100.00'),
        refunded(r1, '100.00', '100.00'),
        requested(r2, '50.00'),
      ])
      .when(complete(r2))
      .then([refunded(r2, '50.00', '150.00')]);
  });

  it('a refusal releases the reservation: the full amount is refundable again', () => {
    const history = [initiated, completed, requested(r1, '300.00')];
    spec
      .given(history)
      .when(fail(r1))
      .then([failed(r1)]);
    expect(refundableMinor(stateOf([...history, failed(r1)]))).toBe(300_00);
    spec
      .given([...history, failed(r1)])
      .when(request(r2, null))
      .then([requested(r2, '300.00')]);
  });

  it('completing or failing a settled refund is a no-op; failing an unknown one releases nothing', () => {
    const done = [initiated, completed, requested(r1, '100.00'), refunded(r1, '100.00', '100.00')];
    spec.given(done).when(complete(r1)).then([]);
    spec.given(done).when(fail(r1)).then([]);
    const refused = [initiated, completed, requested(r1, '100.00'), failed(r1)];
    spec.given(refused).when(complete(r1)).then([]);
    spec.given(refused).when(fail(r1)).then([]);
    spec.given([initiated, completed]).when(fail(r1)).then([]);
  });

  it('without a request, RefundPayment refunds directly as before, within what is not reserved', () => {
    spec
      .given([initiated, completed, requested(r1, '250.00')])
      .when({ ...complete(r2), amount: '50.01' })
      .thenRefused('refund-exceeds-payment', 422);
    spec
      .given([initiated, completed, requested(r1, '250.00')])
      .when({ ...complete(r2), amount: null })
      .then([
        {
          type: 'PaymentRefunded',
          data: {
            paymentId,
            refundId: r2,
            amount: '50.00',
            totalRefunded: '50.00',
            reason: 'other',
            refundedBy: 'e1111111-1111-4111-8111-111111111111',
            refundedAt: now,
            gatewayReference: `ref_${r2}`,
          },
        },
      ]);
  });

  it('old histories (PaymentRefunded with no request) replay as before', () => {
    const state = stateOf([initiated, completed, refunded(r1, '100.00', '100.00')]);
    expect(state).toMatchObject({ status: 'refunded', refundedMinor: 100_00, pendingRefunds: {} });
    expect(refundableMinor(state)).toBe(200_00);
  });
});
