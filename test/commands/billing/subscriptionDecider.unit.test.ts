import {
  activeSubscriptionAt,
  subscriptionDecider,
  type SubscriptionCommand,
} from '../../../src/commands/billing/subscriptionDecider';
import { fold } from '../../../src/commands/handling/decider';
import type {
  SubscriptionEvent,
  SubscriptionRequested,
} from '../../../src/events/billing/subscriptionEvents';
import { deciderSpec } from '../../support/deciderSpec';

// The spec's fixed clock: 2026-03-01T10:00:00Z (15:30 in Asia/Kolkata).
const spec = deciderSpec(subscriptionDecider);
const memberId = '3b9d2c1e-6f0a-4e7b-9c21-5d8e7f6a1b01';
const societyId = '6a0f8a34-5f51-4d0c-9a43-8d1a5c2d7e11';
const planA = '0d7e2f3a-1b4c-4d5e-8f60-718293a4b5c6';
const planB = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const sub1 = 'a1111111-1111-4111-8111-111111111111';
const sub2 = 'a2222222-2222-4222-8222-222222222222';
const pay1 = 'b1111111-1111-4111-8111-111111111111';
const pay2 = 'b2222222-2222-4222-8222-222222222222';
const refund1 = 'c1111111-1111-4111-8111-111111111111';

const plan = (planId = planA) => ({
  planId,
  name: 'Monthly',
  price: '300.00',
  currency: 'INR',
  durationInDays: 30,
});
const request = (subscriptionId: string, overrides: Partial<SubscriptionCommand> = {}): SubscriptionCommand =>
  ({
    type: 'RequestSubscription',
    subscriptionId,
    memberId,
    societyId,
    plan: plan(),
    timeZone: 'Asia/Kolkata',
    changePlan: false,
    ...overrides,
  }) as SubscriptionCommand;

const requested = (
  subscriptionId: string,
  data: Partial<SubscriptionRequested['data']> = {},
): SubscriptionEvent => ({
  type: 'SubscriptionRequested',
  data: {
    subscriptionId,
    memberId,
    societyId,
    planId: planA,
    planName: 'Monthly',
    price: '300.00',
    currency: 'INR',
    durationInDays: 30,
    timeZone: 'Asia/Kolkata',
    renewalOf: null,
    replaces: null,
    requestedAt: '2026-03-01T10:00:00.000Z',
    ...data,
  },
});
const opened = (subscriptionId: string, paymentId: string): SubscriptionEvent => ({
  type: 'SubscriptionPaymentOpened',
  data: { subscriptionId, paymentId },
});
// Paid 2026-02-20 (IST): 30 local days → ends 2026-03-22 00:00 IST = 2026-03-21T18:30Z.
const activated = (
  subscriptionId: string,
  paymentId: string,
  startsAt = '2026-02-20T06:00:00.000Z',
  endsAt = '2026-03-21T18:30:00.000Z',
): SubscriptionEvent => ({
  type: 'SubscriptionActivated',
  data: { subscriptionId, paymentId, startsAt, endsAt },
});
const active = [requested(sub1), opened(sub1, pay1), activated(sub1, pay1)];

describe('subscribing', () => {
  it('records the plan’s terms as they are when the member subscribes', () =>
    spec
      .given([])
      .when(request(sub1))
      .then([requested(sub1)]));

  it('refuses a second subscription while one awaits payment', () =>
    spec
      .given([requested(sub1)])
      .when(request(sub2))
      .thenRefused('subscription-awaiting-payment', 409));

  it('refuses another plan while one is active, unless the change is explicit', () => {
    spec
      .given(active)
      .when(request(sub2, { plan: plan(planB) }))
      .thenRefused('active-subscription-exists', 409);
    spec
      .given(active)
      .when(request(sub2, { plan: plan(planB), changePlan: true }))
      .then([requested(sub2, { planId: planB, replaces: sub1 })]);
  });

  it('the same plan while active is a renewal of the current subscription', () =>
    spec
      .given(active)
      .when(request(sub2))
      .then([requested(sub2, { renewalOf: sub1 })]));
});

describe('paying', () => {
  it('is not active before its payment completes', () => {
    const state = fold(subscriptionDecider, [requested(sub1), opened(sub1, pay1)]);
    expect(activeSubscriptionAt(state, new Date('2026-03-01T10:00:00Z'))).toBeUndefined();
  });

  it('refuses a payment for another amount than the price, and a second payment in flight', () => {
    spec
      .given([requested(sub1)])
      .when({ type: 'OpenSubscriptionPayment', subscriptionId: sub1, paymentId: pay1, amount: '299.99' })
      .thenRefused('amount-mismatch', 422);
    spec
      .given([requested(sub1), opened(sub1, pay1)])
      .when({ type: 'OpenSubscriptionPayment', subscriptionId: sub1, paymentId: pay2, amount: '300' })
      .thenRefused('payment-already-open', 409);
  });

  it('activates from the payment to midnight in the society’s zone, the day of payment counting as day one', () =>
    spec
      .given([requested(sub1), opened(sub1, pay1)])
      // 2026-03-01T10:00Z is 15:30 IST on 1 Mar; 30 days → 31 Mar 00:00 IST.
      .when({
        type: 'ActivateSubscription',
        subscriptionId: sub1,
        paymentId: pay1,
        paidAt: new Date('2026-03-01T10:00:00Z'),
      })
      .then([activated(sub1, pay1, '2026-03-01T10:00:00.000Z', '2026-03-30T18:30:00.000Z')]));

  it('a renewal starts where the current one ends', () =>
    spec
      .given([...active, requested(sub2, { renewalOf: sub1 }), opened(sub2, pay2)])
      .when({
        type: 'ActivateSubscription',
        subscriptionId: sub2,
        paymentId: pay2,
        paidAt: new Date('2026-03-01T10:00:00Z'),
      })
      .then([activated(sub2, pay2, '2026-03-21T18:30:00.000Z', '2026-04-20T18:30:00.000Z')]));

  it('an explicit plan change ends the current subscription when the new one is paid', () =>
    spec
      .given([...active, requested(sub2, { planId: planB, replaces: sub1 }), opened(sub2, pay2)])
      .when({
        type: 'ActivateSubscription',
        subscriptionId: sub2,
        paymentId: pay2,
        paidAt: new Date('2026-03-01T10:00:00Z'),
      })
      .then([
        {
          type: 'SubscriptionCancelled',
          data: {
            subscriptionId: sub1,
            cancelledAt: '2026-03-01T10:00:00.000Z',
            reason: 'plan-changed',
            refundId: null,
          },
        },
        activated(sub2, pay2, '2026-03-01T10:00:00.000Z', '2026-03-30T18:30:00.000Z'),
      ]));

  it('activating twice with the same payment changes nothing', () =>
    spec
      .given(active)
      .when({
        type: 'ActivateSubscription',
        subscriptionId: sub1,
        paymentId: pay1,
        paidAt: new Date('2026-03-01T10:00:00Z'),
      })
      .then([]));
});

describe('refunds', () => {
  const refund = (refundedTotal: string): SubscriptionCommand => ({
    type: 'ApplyRefund',
    subscriptionId: sub1,
    paymentId: pay1,
    refundId: refund1,
    refundedTotal,
    paidAmount: '300.00',
    refundedAt: new Date('2026-03-01T10:00:00Z'),
  });

  it('a full refund cancels at once', () =>
    spec
      .given(active)
      .when(refund('300.00'))
      .then([
        {
          type: 'SubscriptionCancelled',
          data: {
            subscriptionId: sub1,
            cancelledAt: '2026-03-01T10:00:00.000Z',
            reason: 'refunded',
            refundId: refund1,
          },
        },
      ]));

  it('a partial refund takes back its share of the days from the end (a third of 30 days → 10)', () =>
    spec
      .given(active)
      .when(refund('100.00'))
      .then([
        {
          type: 'SubscriptionShortened',
          data: {
            subscriptionId: sub1,
            paymentId: pay1,
            refundId: refund1,
            previousEndsAt: '2026-03-21T18:30:00.000Z',
            endsAt: '2026-03-11T18:30:00.000Z',
            daysRemoved: 10,
          },
        },
      ]));

  it('a partial refund that leaves no days in the future cancels', () =>
    spec
      .given(active)
      .when(refund('290.00'))
      .then([
        {
          type: 'SubscriptionCancelled',
          data: {
            subscriptionId: sub1,
            cancelledAt: '2026-03-01T10:00:00.000Z',
            reason: 'refunded',
            refundId: refund1,
          },
        },
      ]));
});

describe('expiry', () => {
  const check: SubscriptionCommand = { type: 'CheckExpiry', subscriptionId: sub1, noticeDays: 3 };
  const ending = [
    requested(sub1),
    opened(sub1, pay1),
    activated(sub1, pay1, '2026-02-01T06:00:00.000Z', '2026-03-03T18:30:00.000Z'),
  ];
  const ended = [
    requested(sub1),
    opened(sub1, pay1),
    activated(sub1, pay1, '2026-01-01T06:00:00.000Z', '2026-02-28T18:30:00.000Z'),
  ];

  it('gives notice within the notice window, once', () => {
    spec
      .given(ending)
      .when(check)
      .then([
        {
          type: 'SubscriptionExpiryNoticeGiven',
          data: { subscriptionId: sub1, memberId, societyId, endsAt: '2026-03-03T18:30:00.000Z' },
        },
      ]);
    spec
      .given([
        ...ending,
        {
          type: 'SubscriptionExpiryNoticeGiven',
          data: { subscriptionId: sub1, memberId, societyId, endsAt: '2026-03-03T18:30:00.000Z' },
        },
      ])
      .when(check)
      .then([]);
  });

  it('records the expiry once it has passed; the member is inactive from the end instant regardless', () => {
    spec
      .given(ended)
      .when(check)
      .then([
        {
          type: 'SubscriptionExpired',
          data: { subscriptionId: sub1, memberId, societyId, endedAt: '2026-02-28T18:30:00.000Z' },
        },
      ]);
    const state = fold(subscriptionDecider, ended);
    expect(activeSubscriptionAt(state, new Date('2026-02-28T18:29:59.999Z'))).toBeDefined();
    expect(activeSubscriptionAt(state, new Date('2026-02-28T18:30:00.000Z'))).toBeUndefined();
  });
});
