import { formatLocalTime } from './notificationMessages';
import type { FactOf } from './notificationFacts';
import { queue, type OutboxChange } from './outbox';
import type { WorkingView } from './workingTables';

/** Membership, payment and subscription facts → a notice to the member, when fresh. */

export const memberDecisionNotice = (
  { type, event, data: d, fresh }: FactOf<'MemberApproved' | 'MemberRejected'>,
  view: WorkingView,
): OutboxChange[] => {
  const member = view.member(d.memberId);
  if (!fresh || !member) return [];
  const approved = type === 'MemberApproved';
  return [
    queue([
      {
        type: approved ? 'member_approved' : 'member_rejected',
        recipient: member,
        societyId: d.societyId,
        subject: approved ? 'Your membership is approved' : 'Your membership application was declined',
        body: approved
          ? 'Welcome! Your membership is approved: you can now book classes.'
          : `Your membership application was declined${d.reason ? `: ${d.reason}` : '.'}`,
        scheduledTime: event.createdAt,
        sourceEventId: event.id,
      },
    ]),
  ];
};

export const paymentOutcomeNotice = (
  fact: FactOf<'PaymentCompleted' | 'PaymentFailed'>,
  view: WorkingView,
): OutboxChange[] => {
  if (!fact.fresh) return [];
  const payment = view.payment(fact.data.paymentId);
  const member = payment ? view.member(payment.member_id) : undefined;
  if (!payment || !member) return [];
  const completed = fact.type === 'PaymentCompleted';
  const reason = fact.type === 'PaymentFailed' ? fact.data.reason : undefined;
  const what = `${payment.currency} ${payment.amount} for ${payment.plan_name}`;
  return [
    queue([
      {
        type: completed ? 'payment_completed' : 'payment_failed',
        recipient: member,
        societyId: payment.society_id,
        subject: completed ? 'Payment received' : 'Payment failed',
        body: completed
          ? `We received your payment of ${what}. Thank you!`
          : `Your payment of ${what} failed${reason ? `: ${reason}` : '.'} Please try again.`,
        scheduledTime: fact.event.createdAt,
        sourceEventId: fact.event.id,
      },
    ]),
  ];
};

export const subscriptionNotice = (
  fact: FactOf<'SubscriptionExpired' | 'SubscriptionExpiryNoticeGiven'>,
  view: WorkingView,
): OutboxChange[] => {
  if (!fact.fresh) return [];
  const { event, data: d } = fact;
  const member = view.member(d.memberId);
  if (!member) return [];
  const expired = fact.type === 'SubscriptionExpired';
  const zone = view.societyTimezone(d.societyId) ?? 'UTC';
  return [
    queue([
      {
        type: expired ? 'subscription_expired' : 'subscription_expiring',
        recipient: member,
        societyId: d.societyId,
        subject: expired ? 'Your subscription has expired' : 'Your subscription ends soon',
        body:
          fact.type === 'SubscriptionExpired'
            ? 'Your subscription has expired. Renew it to keep booking classes.'
            : `Your subscription ends on ${formatLocalTime(fact.data.endsAt, zone)}. Renew it to keep booking classes.`,
        scheduledTime: event.createdAt,
        sourceEventId: event.id,
      },
    ]),
  ];
};
