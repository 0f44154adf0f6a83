import type { Completed, Refunded } from './billingFacts';
import type { PaymentRow, RevenueEntryRow } from './billingRows';
import { normaliseAmount } from '../../events/billing/money';
import { localDateOf } from '../../events/classes/classTime';

/** What a completed payment brings in, in the society's month it completed in. */
export const paymentRevenue = (payment: PaymentRow, completed: Completed): RevenueEntryRow => ({
  id: payment.id,
  kind: 'payment',
  payment_id: payment.id,
  society_id: payment.society_id,
  plan_id: payment.plan_id,
  plan_name: payment.plan_name,
  month: monthOf(completed.completedAt, payment.time_zone),
  amount: payment.amount,
  currency: payment.currency,
  occurred_at: completed.completedAt,
});

/** What a refund takes back, in the society's month it was refunded in. */
export const refundRevenue = (payment: PaymentRow, refunded: Refunded): RevenueEntryRow => ({
  id: refunded.refundId,
  kind: 'refund',
  payment_id: payment.id,
  society_id: payment.society_id,
  plan_id: payment.plan_id,
  plan_name: payment.plan_name,
  month: monthOf(refunded.refundedAt, payment.time_zone),
  amount: negated(refunded.amount),
  currency: payment.currency,
  occurred_at: refunded.refundedAt,
});

/** "99.5" → "-99.50": a sign on the decimal string, so the amount never passes through a float. */
const negated = (amount: string): string => `-${normaliseAmount(amount)}`;

/** The society-local month (yyyy-mm) an instant counts in. */
const monthOf = (instant: string, timeZone: string): string =>
  localDateOf(new Date(instant), timeZone).slice(0, 7);
