import type { SubscriptionFact } from './billingFacts';
import { changedRow, type SubscriptionRow } from './billingRows';

/** The subscription's row after one fact; undefined leaves it as it is. */
export const evolveSubscription = (
  row: SubscriptionRow | undefined,
  fact: SubscriptionFact,
): SubscriptionRow | undefined => {
  const { event } = fact;
  switch (fact.type) {
    case 'SubscriptionRequested': {
      if (row) return undefined;
      const d = fact.data;
      return {
        id: d.subscriptionId,
        member_id: d.memberId,
        society_id: d.societyId,
        plan_id: d.planId,
        plan_name: d.planName,
        price: d.price,
        currency: d.currency,
        duration_in_days: d.durationInDays,
        time_zone: d.timeZone,
        status: 'awaiting_payment',
        payment_id: null,
        starts_at: null,
        ends_at: null,
        cancelled_at: null,
        cancel_reason: null,
        renewal_of: d.renewalOf,
        created_at: event.createdAt,
        updated_at: event.createdAt,
        version: event.revision,
      };
    }
    case 'SubscriptionPaymentOpened':
      return changedRow(row, event, { payment_id: fact.data.paymentId });
    case 'SubscriptionPaymentFailed':
      return changedRow(row, event, { payment_id: null });
    case 'SubscriptionActivated': {
      const d = fact.data;
      return changedRow(row, event, {
        status: 'paid',
        payment_id: d.paymentId,
        starts_at: d.startsAt,
        ends_at: d.endsAt,
      });
    }
    case 'SubscriptionShortened':
      return changedRow(row, event, { ends_at: fact.data.endsAt });
    case 'SubscriptionCancelled':
      return changedRow(row, event, {
        status: 'cancelled',
        cancelled_at: fact.data.cancelledAt,
        cancel_reason: fact.data.reason,
      });
    case 'SubscriptionExpired':
      return changedRow(row, event, { status: 'expired' });
  }
};
