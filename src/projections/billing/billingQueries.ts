import type { Knex } from 'knex';

/**
 * The billing tables' rows. Timestamps (`T`) are Dates as read here; the billing projection also
 * holds them as the event's ISO text between its fold and its write.
 */
export interface PlanRow<T = Date> {
  id: string;
  society_id: string | null;
  name: string;
  price: string;
  currency: string;
  duration_in_days: number;
  retired: boolean;
  created_by: string;
  created_at: T;
  updated_at: T;
  /** The revision of the event that last changed the row, in its stream. */
  version: number;
}

export interface MemberSubscriptionRow<T = Date> {
  id: string;
  member_id: string;
  society_id: string;
  plan_id: string;
  plan_name: string;
  price: string;
  currency: string;
  duration_in_days: number;
  time_zone: string;
  status: 'awaiting_payment' | 'paid' | 'cancelled' | 'expired';
  payment_id: string | null;
  starts_at: T | null;
  ends_at: T | null;
  cancelled_at: T | null;
  cancel_reason: string | null;
  renewal_of: string | null;
  created_at: T;
  updated_at: T;
  version: number;
}

export interface PaymentRow<T = Date> {
  id: string;
  member_id: string;
  society_id: string;
  member_subscription_id: string;
  plan_id: string;
  plan_name: string;
  amount: string;
  currency: string;
  payment_status: 'pending' | 'completed' | 'failed' | 'refunded';
  transaction_id: string;
  method: string;
  gateway: string;
  time_zone: string;
  gateway_reference: string | null;
  failure_reason: string | null;
  refunded_amount: string;
  invoice_number: number | null;
  invoice_issued_at: T | null;
  status_checks: number;
  last_checked_at: T | null;
  payment_date: T | null;
  created_at: T;
  updated_at: T;
  version: number;
}

export const findPlan = async (knex: Knex, id: string) =>
  (await knex<PlanRow>('subscription_plans').where({ id }).first()) as PlanRow | undefined;

/** Plans offered in these societies (and to every society), by name. */
export const listPlans = (
  knex: Knex,
  filter: { societyIds: readonly string[] | 'all'; includeRetired: boolean },
): Promise<PlanRow[]> => {
  const query = knex<PlanRow>('subscription_plans').orderBy([{ column: 'name' }, { column: 'id' }]);
  if (filter.societyIds !== 'all') {
    const ids = filter.societyIds;
    query.where((w) => {
      w.whereNull('society_id');
      if (ids.length) w.orWhereIn('society_id', ids);
    });
  }
  if (!filter.includeRetired) query.andWhere('retired', false);
  return query;
};

export const findMemberSubscription = async (knex: Knex, id: string) =>
  (await knex<MemberSubscriptionRow>('member_subscriptions').where({ id }).first()) as
    MemberSubscriptionRow | undefined;

export const listMemberSubscriptions = (knex: Knex, memberId: string): Promise<MemberSubscriptionRow[]> =>
  knex<MemberSubscriptionRow>('member_subscriptions')
    .where({ member_id: memberId })
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);

export const findPayment = async (knex: Knex, id: string) =>
  (await knex<PaymentRow>('payments').where({ id }).first()) as PaymentRow | undefined;

/** Newest first, keyset on (created_at, id). */
export const listMemberPayments = (
  knex: Knex,
  { memberId, limit, before }: { memberId: string; limit: number; before?: { createdAt: Date; id: string } },
): Promise<PaymentRow[]> => {
  const query = knex<PaymentRow>('payments')
    .where({ member_id: memberId })
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
  if (before) query.andWhereRaw('(created_at, id) < (?, ?)', [before.createdAt, before.id]);
  return query;
};

/** Pending payments created before `olderThan`: the payment status check's work list. */
export const pendingPaymentsOlderThan = (knex: Knex, olderThan: Date, limit: number): Promise<PaymentRow[]> =>
  knex<PaymentRow>('payments')
    .where({ payment_status: 'pending' })
    .andWhere('created_at', '<', olderThan)
    .orderBy('created_at')
    .limit(limit);

/** Completed payments that have no invoice yet: a settlement a crash interrupted. */
export const completedPaymentsWithoutInvoice = (knex: Knex, limit: number): Promise<PaymentRow[]> =>
  knex<PaymentRow>('payments')
    .whereIn('payment_status', ['completed', 'refunded'])
    .whereNull('invoice_number')
    .orderBy('created_at')
    .limit(limit);

/** Paid subscriptions ending before `until` that are not yet recorded as expired. */
export const subscriptionsEndingBefore = (
  knex: Knex,
  until: Date,
  limit: number,
): Promise<MemberSubscriptionRow[]> =>
  knex<MemberSubscriptionRow>('member_subscriptions')
    .where({ status: 'paid' })
    .andWhere('ends_at', '<', until)
    .orderBy('ends_at')
    .limit(limit);

export interface RevenueLine {
  month: string;
  plan_id: string;
  plan_name: string;
  currency: string;
  completed: string;
  refunded: string;
  net: string;
}

/** Completed payments minus refunds, per month and plan; sums stay numeric in SQL. */
export const societyRevenue = async (
  knex: Knex,
  { societyId, fromMonth, toMonth }: { societyId: string; fromMonth?: string; toMonth?: string },
): Promise<{ lines: RevenueLine[]; totals: { currency: string; net: string }[] }> => {
  const scoped = () => {
    const q = knex('revenue_entries').where({ society_id: societyId });
    if (fromMonth) q.andWhere('month', '>=', fromMonth);
    if (toMonth) q.andWhere('month', '<=', toMonth);
    return q;
  };
  const lines = (await scoped()
    .select('month', 'plan_id', 'currency')
    .select(knex.raw('max(plan_name) as plan_name'))
    .select(
      knex.raw("coalesce(sum(amount) filter (where kind = 'payment'), 0)::numeric(20,2)::text as completed"),
    )
    .select(
      knex.raw("coalesce(-sum(amount) filter (where kind = 'refund'), 0)::numeric(20,2)::text as refunded"),
    )
    .select(knex.raw('sum(amount)::numeric(20,2)::text as net'))
    .groupBy('month', 'plan_id', 'currency')
    .orderBy([{ column: 'month' }, { column: 'plan_id' }])) as RevenueLine[];
  const totals = (await scoped()
    .select('currency')
    .select(knex.raw('sum(amount)::numeric(20,2)::text as net'))
    .groupBy('currency')
    .orderBy('currency')) as { currency: string; net: string }[];
  return { lines, totals };
};

/** Refunds requested before `requestedBefore` with no outcome recorded: the refund reconciler's work list. */
export const refundsAwaitingOutcome = (
  knex: Knex,
  requestedBefore: Date,
  limit: number,
): Promise<{ id: string; payment_id: string; requested_at: Date }[]> =>
  knex('payment_refunds')
    .select('id', 'payment_id', 'requested_at')
    .where({ status: 'requested' })
    .andWhere('requested_at', '<', requestedBefore)
    .orderBy('requested_at')
    .limit(limit);
