import { formatInvoiceNumber } from '../../events/billing/paymentEvents';
import type { MemberSubscriptionRow, PaymentRow, PlanRow } from '../../projections/billing/billingQueries';
import { asMoney } from '../http/moneyJson';

/** An amount the database holds as an exact decimal, answered as the spec's JSON number. */
export const money = (amount: string): number => asMoney(amount) ?? 0;

export const toPlan = (row: PlanRow) => ({
  id: row.id,
  society_id: row.society_id,
  name: row.name,
  price: money(row.price),
  currency: row.currency,
  duration_in_days: row.duration_in_days,
  retired: row.retired,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export const toPayment = (row: PaymentRow) => ({
  id: row.id,
  member_id: row.member_id,
  subscription_id: row.plan_id,
  member_subscription_id: row.member_subscription_id,
  amount: money(row.amount),
  currency: row.currency,
  payment_status: row.payment_status,
  transaction_id: row.transaction_id,
  method: row.method as 'online' | 'cash' | 'upi',
  refunded_amount: money(row.refunded_amount),
  failure_reason: row.failure_reason,
  invoice_number: row.invoice_number === null ? null : formatInvoiceNumber(row.invoice_number),
  payment_date: row.payment_date?.toISOString() ?? null,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export const toMemberSubscription = (row: MemberSubscriptionRow, now: Date) => ({
  id: row.id,
  member_id: row.member_id,
  society_id: row.society_id,
  plan_id: row.plan_id,
  plan_name: row.plan_name,
  price: money(row.price),
  currency: row.currency,
  duration_in_days: row.duration_in_days,
  status: row.status,
  active:
    row.status === 'paid' &&
    row.starts_at !== null &&
    row.ends_at !== null &&
    row.starts_at <= now &&
    now < row.ends_at,
  payment_id: row.payment_id,
  starts_at: row.starts_at?.toISOString() ?? null,
  ends_at: row.ends_at?.toISOString() ?? null,
  cancelled_at: row.cancelled_at?.toISOString() ?? null,
  renewal_of: row.renewal_of,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});
