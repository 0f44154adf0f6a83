import { randomUUID } from 'node:crypto';
import { billingStreams } from '../../../src/commands/billing/billingStreams';
import { streams } from '../../../src/events/streams';
import { DAY_MS, TIME_ZONE, type Member, type Plan, type SocietySim, type Subscription } from './simulation';

/** Plans, subscriptions, payments, invoices and refunds. */

export const createPlan = (
  society: SocietySim,
  name: string,
  price: string,
  durationInDays: number,
): Plan => {
  const plan = { id: randomUUID(), name, price, durationInDays };
  society.claimUnique(billingStreams.planName(society.societyId, name), plan.id, 'plan-name');
  society.append(
    streams.plan(plan.id),
    [
      {
        type: 'PlanCreated',
        data: {
          planId: plan.id,
          societyId: society.societyId,
          createdBy: society.admins[0]!,
          name,
          price,
          currency: 'INR',
          durationInDays,
        },
      },
    ],
    society.admins[0]!,
  );
  society.plans.push(plan);
  return plan;
};

export const changePlanPrice = (society: SocietySim, plan: Plan, price: string): void => {
  plan.price = price;
  society.append(streams.plan(plan.id), [
    { type: 'PlanChanged', data: { planId: plan.id, changes: { price } } },
  ]);
};

export const retirePlan = (society: SocietySim, plan: Plan): void => {
  society.append(streams.plan(plan.id), [
    { type: 'PlanRetired', data: { planId: plan.id, retiredBy: society.admins[0]! } },
  ]);
};

/**
 * What buying a subscription appends: the request, a payment (transaction id claimed, opened on
 * the subscription, now and then a status check, 5% failing once first), completion,
 * activation and the invoice; 3% refunded in full and 3% in part afterwards.
 */
export const buySubscription = (
  society: SocietySim,
  member: Member,
  plan: Plan,
  date: string,
  renewalOf: Subscription | null,
): void => {
  const subscriptionStream = streams.memberSubscriptions(member.id);
  const subscriptionId = randomUUID();
  const requestedAt = society.at(date, society.minuteOfDay());
  society.append(subscriptionStream, [
    {
      type: 'SubscriptionRequested',
      data: {
        subscriptionId,
        memberId: member.id,
        societyId: society.societyId,
        planId: plan.id,
        planName: plan.name,
        price: plan.price,
        currency: 'INR',
        durationInDays: plan.durationInDays,
        timeZone: TIME_ZONE,
        renewalOf: renewalOf?.id ?? null,
        replaces: null,
        requestedAt,
      },
    },
  ]);
  if (society.chance(0.05)) {
    const failed = initiatePayment(society, member, plan, subscriptionId, requestedAt);
    const failedAt = new Date(Date.parse(requestedAt) + 60_000).toISOString();
    const reason = 'card declined';
    society.append(streams.payment(failed), [
      { type: 'PaymentFailed', data: { paymentId: failed, failedAt, reason } },
    ]);
    society.append(subscriptionStream, [
      { type: 'SubscriptionPaymentFailed', data: { subscriptionId, paymentId: failed, reason } },
    ]);
  }
  const paymentId = initiatePayment(society, member, plan, subscriptionId, requestedAt);
  const completedAt = new Date(Date.parse(requestedAt) + 5 * 60_000).toISOString();
  society.append(streams.payment(paymentId), [
    {
      type: 'PaymentCompleted',
      data: { paymentId, completedAt, gatewayReference: `sim_${paymentId.slice(0, 8)}` },
    },
  ]);
  const startsAt = Math.max(renewalOf?.endsAt ?? 0, Date.parse(completedAt));
  const endsAt = startsAt + plan.durationInDays * DAY_MS;
  society.append(subscriptionStream, [
    {
      type: 'SubscriptionActivated',
      data: {
        subscriptionId,
        paymentId,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
      },
    },
  ]);
  const invoiceNumber = ++society.invoiceNumber;
  society.append(billingStreams.invoiceSequence(society.societyId), [
    { type: 'InvoiceNumberAssigned', data: { societyId: society.societyId, paymentId, invoiceNumber } },
  ]);
  society.append(streams.payment(paymentId), [
    {
      type: 'InvoiceIssued',
      data: { paymentId, societyId: society.societyId, invoiceNumber, issuedAt: completedAt },
    },
  ]);
  member.subscription = { id: subscriptionId, plan, paymentId, endsAt };
  const refund = society.random();
  if (refund < 0.06) refundSubscription(society, member, refund < 0.03 ? 'full' : 'part', completedAt);
};

export const initiatePayment = (
  society: SocietySim,
  member: Member,
  plan: Plan,
  subscriptionId: string,
  at: string,
): string => {
  const paymentId = randomUUID();
  const transactionId = `txn_${paymentId.replace(/-/g, '').slice(0, 20)}`;
  const method = society.pick(['online', 'online', 'online', 'online', 'upi', 'cash'] as const);
  society.claimUnique(billingStreams.transactionId(transactionId), paymentId, 'transaction-id');
  society.append(streams.payment(paymentId), [
    {
      type: 'PaymentInitiated',
      data: {
        paymentId,
        memberId: member.id,
        societyId: society.societyId,
        subscriptionId,
        planId: plan.id,
        planName: plan.name,
        amount: plan.price,
        currency: 'INR',
        transactionId,
        method,
        gateway: method === 'online' ? 'simulated' : 'manual',
        timeZone: TIME_ZONE,
        initiatedAt: at,
      },
    },
  ]);
  society.append(streams.memberSubscriptions(member.id), [
    { type: 'SubscriptionPaymentOpened', data: { subscriptionId, paymentId } },
  ]);
  if (method === 'online' && society.chance(0.25))
    society.append(streams.payment(paymentId), [
      {
        type: 'PaymentStatusChecked',
        data: { paymentId, checkedAt: new Date(Date.parse(at) + 30_000).toISOString(), attempt: 1 },
      },
    ]);
  return paymentId;
};

export const refundSubscription = (
  society: SocietySim,
  member: Member,
  how: 'full' | 'part',
  paidAt: string,
): void => {
  const subscription = member.subscription!;
  const refundId = randomUUID();
  const refundedAt = new Date(Date.parse(paidAt) + 2 * DAY_MS).toISOString();
  const amount = how === 'full' ? subscription.plan.price : '500.00';
  society.append(
    streams.payment(subscription.paymentId),
    [
      // As refunds are recorded since the reservation: requested (amount held), then refunded.
      {
        type: 'RefundRequested',
        data: {
          paymentId: subscription.paymentId,
          refundId,
          amount,
          reason: how === 'full' ? 'moved out' : 'missed a fortnight',
          requestedBy: society.admins[0]!,
          requestedAt: refundedAt,
        },
      },
      {
        type: 'PaymentRefunded',
        data: {
          paymentId: subscription.paymentId,
          refundId,
          amount,
          totalRefunded: amount,
          reason: how === 'full' ? 'moved out' : 'missed a fortnight',
          refundedBy: society.admins[0]!,
          refundedAt,
          gatewayReference: `rf_${refundId.slice(0, 8)}`,
        },
      },
    ],
    society.admins[0]!,
  );
  if (how === 'full') {
    society.append(streams.memberSubscriptions(member.id), [
      {
        type: 'SubscriptionCancelled',
        data: { subscriptionId: subscription.id, cancelledAt: refundedAt, reason: 'refunded', refundId },
      },
    ]);
    member.subscription = undefined;
    return;
  }
  const daysRemoved = 10;
  const endsAt = subscription.endsAt - daysRemoved * DAY_MS;
  society.append(streams.memberSubscriptions(member.id), [
    {
      type: 'SubscriptionShortened',
      data: {
        subscriptionId: subscription.id,
        paymentId: subscription.paymentId,
        refundId,
        previousEndsAt: new Date(subscription.endsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        daysRemoved,
      },
    },
  ]);
  subscription.endsAt = endsAt;
};

/** Subscriptions ending before `until`: notice, 90% renewed (same plan), then expired. */
export const renewOrExpire = (society: SocietySim, until: number): void => {
  for (const member of society.members) {
    const current = member.subscription;
    if (!current || current.endsAt >= until) continue;
    const base = {
      subscriptionId: current.id,
      memberId: member.id,
      societyId: society.societyId,
    };
    society.append(streams.memberSubscriptions(member.id), [
      {
        type: 'SubscriptionExpiryNoticeGiven',
        data: { ...base, endsAt: new Date(current.endsAt).toISOString() },
      },
    ]);
    if (society.chance(0.9)) {
      const renewDate = new Date(current.endsAt - 2 * DAY_MS).toISOString().slice(0, 10);
      buySubscription(society, member, current.plan, renewDate, current);
    } else {
      member.subscription = undefined;
    }
    society.append(streams.memberSubscriptions(member.id), [
      { type: 'SubscriptionExpired', data: { ...base, endedAt: new Date(current.endsAt).toISOString() } },
    ]);
  }
};
