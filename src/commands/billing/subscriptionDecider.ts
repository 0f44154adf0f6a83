import { refuse, type Decider } from '../handling/decider';
import type { SubscriptionEvent, SubscriptionRequested } from '../../events/billing/subscriptionEvents';
import { toMinorUnits } from '../../events/billing/money';
import { daysBefore, endOfPeriod } from './subscriptionPeriod';
import { amountMismatchDetail } from './amountMismatch';

export interface SubscriptionRecord {
  readonly subscriptionId: string;
  readonly terms: SubscriptionRequested['data'];
  /** The payment currently reserved to pay for it (null when none is open). */
  readonly openPaymentId: string | null;
  /** The payment that activated it. */
  readonly paidBy: string | null;
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  readonly cancelledAt: string | null;
  readonly expiryRecorded: boolean;
  readonly expiryNoticeGiven: boolean;
}

export interface MemberSubscriptionsState {
  /** In the order they were requested. */
  readonly subscriptions: readonly SubscriptionRecord[];
}

/** Paid, started, not yet ended and not cancelled at `at`. */
export const isActiveRecordAt = (s: SubscriptionRecord, at: Date): boolean =>
  s.paidBy !== null &&
  s.startsAt !== null &&
  s.endsAt !== null &&
  Date.parse(s.startsAt) <= at.getTime() &&
  at.getTime() < Date.parse(s.endsAt) &&
  (s.cancelledAt === null || at.getTime() < Date.parse(s.cancelledAt));

/** Cancellation ends a subscription early; otherwise it ends at `endsAt`. */
const effectiveEnd = (s: SubscriptionRecord): number =>
  Math.min(Date.parse(s.endsAt ?? ''), s.cancelledAt ? Date.parse(s.cancelledAt) : Infinity);

export const activeSubscriptionAt = (state: MemberSubscriptionsState, at: Date) =>
  state.subscriptions.find((s) => isActiveRecordAt(s, at));

/** Paid and not over yet: active now, or a renewal that starts when the current one ends. */
const paidAndNotOver = (state: MemberSubscriptionsState, at: Date) =>
  state.subscriptions.filter((s) => s.paidBy !== null && effectiveEnd(s) > at.getTime());

const awaitingPayment = (s: SubscriptionRecord) => s.paidBy === null && s.cancelledAt === null;

export type SubscriptionCommand =
  | {
      type: 'RequestSubscription';
      subscriptionId: string;
      memberId: string;
      societyId: string;
      plan: { planId: string; name: string; price: string; currency: string; durationInDays: number };
      timeZone: string;
      /** Replace a current subscription on another plan (an explicit plan change). */
      changePlan: boolean;
    }
  | { type: 'OpenSubscriptionPayment'; subscriptionId: string; paymentId: string; amount: string }
  | { type: 'FailSubscriptionPayment'; subscriptionId: string; paymentId: string; reason: string }
  | { type: 'ActivateSubscription'; subscriptionId: string; paymentId: string; paidAt: Date }
  | {
      type: 'ApplyRefund';
      subscriptionId: string;
      paymentId: string;
      refundId: string;
      /** Everything refunded on this payment so far, this refund included. */
      refundedTotal: string;
      paidAmount: string;
      refundedAt: Date;
    }
  | { type: 'CheckExpiry'; subscriptionId: string; noticeDays: number };

const find = (state: MemberSubscriptionsState, subscriptionId: string) =>
  state.subscriptions.find((s) => s.subscriptionId === subscriptionId);

const notFound = (subscriptionId: string) =>
  refuse('subscription-not-found', 404, 'Subscription not found', `No subscription ${subscriptionId}`);

const update = (
  state: MemberSubscriptionsState,
  subscriptionId: string,
  change: (s: SubscriptionRecord) => SubscriptionRecord,
): MemberSubscriptionsState => ({
  subscriptions: state.subscriptions.map((s) => (s.subscriptionId === subscriptionId ? change(s) : s)),
});

const decide: Decider<MemberSubscriptionsState, SubscriptionCommand, SubscriptionEvent>['decide'] = (
  command,
  state,
  ctx,
) => {
  switch (command.type) {
    case 'RequestSubscription': {
      const pending = state.subscriptions.find(awaitingPayment);
      if (pending)
        return refuse(
          'subscription-awaiting-payment',
          409,
          'A subscription is already awaiting payment',
          'Pay for it (POST /payments) before subscribing again.',
          { subscription_id: pending.subscriptionId, plan_id: pending.terms.planId },
        );
      const current = paidAndNotOver(state, ctx.now);
      // A renewal is queued behind the latest paid period on the same plan.
      const latest = current.at(-1);
      const samePlan = latest !== undefined && latest.terms.planId === command.plan.planId;
      if (latest && !samePlan && !command.changePlan)
        return refuse(
          'active-subscription-exists',
          409,
          'The member already has an active subscription on another plan',
          'Changing plan is explicit: subscribe with change_plan: true to replace it.',
          { subscription_id: latest.subscriptionId, plan_id: latest.terms.planId },
        );
      return [
        {
          type: 'SubscriptionRequested',
          data: {
            subscriptionId: command.subscriptionId,
            memberId: command.memberId,
            societyId: command.societyId,
            planId: command.plan.planId,
            planName: command.plan.name,
            price: command.plan.price,
            currency: command.plan.currency,
            durationInDays: command.plan.durationInDays,
            timeZone: command.timeZone,
            renewalOf: samePlan ? latest.subscriptionId : null,
            replaces: latest && !samePlan ? latest.subscriptionId : null,
            requestedAt: ctx.now.toISOString(),
          },
        },
      ];
    }
    case 'OpenSubscriptionPayment': {
      const s = find(state, command.subscriptionId);
      if (!s) return notFound(command.subscriptionId);
      if (s.openPaymentId === command.paymentId) return [];
      if (!awaitingPayment(s))
        return refuse(
          'subscription-not-payable',
          409,
          'This subscription is not awaiting payment',
          'It is paid, cancelled or expired; subscribe again (POST /members/{id}/subscribe) to pay for a new period.',
          {
            subscription_id: s.subscriptionId,
          },
        );
      if (s.openPaymentId !== null)
        return refuse(
          'payment-already-open',
          409,
          'Another payment for this subscription is in progress',
          `Payment ${s.openPaymentId} is still being settled; wait for its outcome in the payment history before paying again.`,
          {
            payment_id: s.openPaymentId,
          },
        );
      if (toMinorUnits(command.amount) !== toMinorUnits(s.terms.price))
        return refuse(
          'amount-mismatch',
          422,
          'The amount does not match the plan price',
          amountMismatchDetail(command.amount, s.terms.price, s.terms.currency),
          { expected: s.terms.price, currency: s.terms.currency },
        );
      return [
        {
          type: 'SubscriptionPaymentOpened',
          data: { subscriptionId: s.subscriptionId, paymentId: command.paymentId },
        },
      ];
    }
    case 'FailSubscriptionPayment': {
      const s = find(state, command.subscriptionId);
      if (!s) return notFound(command.subscriptionId);
      if (s.openPaymentId !== command.paymentId) return [];
      return [
        {
          type: 'SubscriptionPaymentFailed',
          data: { subscriptionId: s.subscriptionId, paymentId: command.paymentId, reason: command.reason },
        },
      ];
    }
    case 'ActivateSubscription': {
      const s = find(state, command.subscriptionId);
      if (!s) return notFound(command.subscriptionId);
      if (s.paidBy === command.paymentId) return [];
      if (s.paidBy !== null || s.openPaymentId !== command.paymentId)
        return refuse(
          'subscription-not-payable',
          409,
          'This payment does not pay for this subscription',
          `Subscription ${s.subscriptionId} is paid by, or waiting for, another payment; this one cannot activate it.`,
        );
      const { timeZone, durationInDays } = s.terms;
      const previous = s.terms.renewalOf ? find(state, s.terms.renewalOf) : undefined;
      // Renewing extends from the current end, so paying early loses no days.
      const startsAt =
        previous && previous.paidBy !== null && effectiveEnd(previous) > command.paidAt.getTime()
          ? new Date(effectiveEnd(previous))
          : command.paidAt;
      const replaced = s.terms.replaces ? find(state, s.terms.replaces) : undefined;
      const events: SubscriptionEvent[] = [];
      if (replaced && replaced.cancelledAt === null && effectiveEnd(replaced) > command.paidAt.getTime())
        events.push({
          type: 'SubscriptionCancelled',
          data: {
            subscriptionId: replaced.subscriptionId,
            cancelledAt: command.paidAt.toISOString(),
            reason: 'plan-changed',
            refundId: null,
          },
        });
      events.push({
        type: 'SubscriptionActivated',
        data: {
          subscriptionId: s.subscriptionId,
          paymentId: command.paymentId,
          startsAt: startsAt.toISOString(),
          endsAt: endOfPeriod(startsAt, durationInDays, timeZone).toISOString(),
        },
      });
      return events;
    }
    case 'ApplyRefund': {
      const s = find(state, command.subscriptionId);
      if (!s) return notFound(command.subscriptionId);
      if (s.paidBy !== command.paymentId || s.endsAt === null || s.startsAt === null) return [];
      if (s.cancelledAt !== null) return [];
      const refunded = toMinorUnits(command.refundedTotal);
      const paid = toMinorUnits(command.paidAmount);
      const cancel: SubscriptionEvent = {
        type: 'SubscriptionCancelled',
        data: {
          subscriptionId: s.subscriptionId,
          cancelledAt: command.refundedAt.toISOString(),
          reason: 'refunded',
          refundId: command.refundId,
        },
      };
      if (refunded >= paid) return [cancel];
      // The refunded share of the plan's days, rounded up: the member never keeps more than they paid for.
      const originalEnd = endOfPeriod(new Date(s.startsAt), s.terms.durationInDays, s.terms.timeZone);
      const daysToRemove = Math.ceil((s.terms.durationInDays * refunded) / paid);
      const newEnd = daysBefore(originalEnd, daysToRemove, s.terms.timeZone);
      const alreadyRemoved = Math.round((originalEnd.getTime() - Date.parse(s.endsAt)) / 86_400_000);
      if (daysToRemove <= alreadyRemoved) return [];
      if (newEnd.getTime() <= Math.max(command.refundedAt.getTime(), Date.parse(s.startsAt))) return [cancel];
      return [
        {
          type: 'SubscriptionShortened',
          data: {
            subscriptionId: s.subscriptionId,
            paymentId: command.paymentId,
            refundId: command.refundId,
            previousEndsAt: s.endsAt,
            endsAt: newEnd.toISOString(),
            daysRemoved: daysToRemove - alreadyRemoved,
          },
        },
      ];
    }
    case 'CheckExpiry': {
      const s = find(state, command.subscriptionId);
      if (!s || s.paidBy === null || s.endsAt === null) return [];
      const end = effectiveEnd(s);
      const who = {
        subscriptionId: s.subscriptionId,
        memberId: s.terms.memberId,
        societyId: s.terms.societyId,
      };
      if (end <= ctx.now.getTime())
        return s.expiryRecorded || s.cancelledAt !== null
          ? []
          : [{ type: 'SubscriptionExpired', data: { ...who, endedAt: new Date(end).toISOString() } }];
      const noticeFrom = end - command.noticeDays * 86_400_000;
      if (!s.expiryNoticeGiven && ctx.now.getTime() >= noticeFrom)
        return [
          { type: 'SubscriptionExpiryNoticeGiven', data: { ...who, endsAt: new Date(end).toISOString() } },
        ];
      return [];
    }
  }
};

export const subscriptionDecider: Decider<MemberSubscriptionsState, SubscriptionCommand, SubscriptionEvent> =
  {
    initialState: () => ({ subscriptions: [] }),
    evolve: (state, event) => {
      switch (event.type) {
        case 'SubscriptionRequested':
          return {
            subscriptions: [
              ...state.subscriptions,
              {
                subscriptionId: event.data.subscriptionId,
                terms: event.data,
                openPaymentId: null,
                paidBy: null,
                startsAt: null,
                endsAt: null,
                cancelledAt: null,
                expiryRecorded: false,
                expiryNoticeGiven: false,
              },
            ],
          };
        case 'SubscriptionPaymentOpened':
          return update(state, event.data.subscriptionId, (s) => ({
            ...s,
            openPaymentId: event.data.paymentId,
          }));
        case 'SubscriptionPaymentFailed':
          return update(state, event.data.subscriptionId, (s) => ({ ...s, openPaymentId: null }));
        case 'SubscriptionActivated':
          return update(state, event.data.subscriptionId, (s) => ({
            ...s,
            openPaymentId: null,
            paidBy: event.data.paymentId,
            startsAt: event.data.startsAt,
            endsAt: event.data.endsAt,
          }));
        case 'SubscriptionShortened':
          return update(state, event.data.subscriptionId, (s) => ({ ...s, endsAt: event.data.endsAt }));
        case 'SubscriptionCancelled':
          return update(state, event.data.subscriptionId, (s) => ({
            ...s,
            cancelledAt: event.data.cancelledAt,
          }));
        case 'SubscriptionExpired':
          return update(state, event.data.subscriptionId, (s) => ({ ...s, expiryRecorded: true }));
        case 'SubscriptionExpiryNoticeGiven':
          return update(state, event.data.subscriptionId, (s) => ({ ...s, expiryNoticeGiven: true }));
      }
    },
    decide,
  };
