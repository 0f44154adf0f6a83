import type { ProjectionDefinition } from '../engine/projection';
import { flushAll, RowCache } from '../engine/rowCache';
import { billingFact, factSchemas, isPlanFact, isSubscriptionFact, type BillingFact } from './billingFacts';
import {
  tableNames,
  type BillingTables,
  type PaymentRow,
  type PlanRow,
  type RefundRow,
  type RevenueEntryRow,
  type SubscriptionRow,
  type TableName,
} from './billingRows';
import { evolvePlan } from './planRows';
import { evolveSubscription } from './subscriptionRows';
import { evolvePayment } from './paymentRows';
import { completedRefund, evolveRefund } from './refundRows';
import { paymentRevenue, refundRevenue } from './revenueRows';
import { REVENUE_BY_SOCIETY_COLUMNS } from './revenueBySocietyIndex';

/**
 * Billing's read tables (all money numeric(12,2) with a currency; analysts may query them):
 * - `subscription_plans`: one row per plan; `society_id` null = offered to every society.
 * - `member_subscriptions`: one row per subscription; `status` awaiting_payment | paid |
 *   cancelled | expired. Active at instant T = status 'paid' and starts_at <= T < ends_at.
 * - `payments`: one row per payment, as GET /payments/{member_id} shows it; `refunded_amount`
 *   sums its refunds, `invoice_number` is per society.
 * - `payment_refunds`: one row per refund asked for; `status` requested | completed | failed.
 *   Money went back only for `completed` rows (`refunded_at` set); `requested` ones are held
 *   from the refundable amount while the provider is asked (the `refund_reconciliation` job
 *   finishes those left behind), `failed` ones the provider refused (`failed_at`,
 *   `failure_reason`). Refunds from before requests existed appear as `completed` with
 *   `requested_at` = `refunded_at`. `payments.refunded_amount` and `revenue_entries` count
 *   completed refunds only.
 * - `revenue_entries`: one signed row per completed payment (+) and refund (−), with the month
 *   (yyyy-mm in the society's time zone) it counts in. Revenue = SUM(amount): exact, and a
 *   replayed event inserts nothing twice (primary key = the payment or refund id).
 */
export const billingProjection: ProjectionDefinition = {
  name: 'billing',
  // v2: payment_refunds carries requested and failed refunds too (status, requested_at, failed_at).
  version: 2,
  tables: {
    subscription_plans: (t) => {
      t.uuid('id').primary();
      t.uuid('society_id');
      t.text('name').notNullable();
      t.decimal('price', 12, 2).notNullable();
      t.text('currency').notNullable();
      t.integer('duration_in_days').notNullable();
      t.boolean('retired').notNullable().defaultTo(false);
      t.uuid('created_by').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.integer('version').notNullable();
      t.index(['society_id', 'retired', 'name']);
    },
    member_subscriptions: (t) => {
      t.uuid('id').primary();
      t.uuid('member_id').notNullable();
      t.uuid('society_id').notNullable();
      t.uuid('plan_id').notNullable();
      t.text('plan_name').notNullable();
      t.decimal('price', 12, 2).notNullable();
      t.text('currency').notNullable();
      t.integer('duration_in_days').notNullable();
      t.text('time_zone').notNullable();
      t.text('status').notNullable();
      t.uuid('payment_id');
      t.timestamp('starts_at', { useTz: true });
      t.timestamp('ends_at', { useTz: true });
      t.timestamp('cancelled_at', { useTz: true });
      t.text('cancel_reason');
      t.uuid('renewal_of');
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.integer('version').notNullable();
      t.index(['member_id', 'created_at']);
      t.index(['status', 'ends_at']);
    },
    payments: (t) => {
      t.uuid('id').primary();
      t.uuid('member_id').notNullable();
      t.uuid('society_id').notNullable();
      t.uuid('member_subscription_id').notNullable();
      t.uuid('plan_id').notNullable();
      t.text('plan_name').notNullable();
      t.decimal('amount', 12, 2).notNullable();
      t.text('currency').notNullable();
      t.text('payment_status').notNullable();
      t.text('transaction_id').notNullable().unique();
      t.text('method').notNullable();
      t.text('gateway').notNullable();
      t.text('time_zone').notNullable();
      t.text('gateway_reference');
      t.text('failure_reason');
      t.decimal('refunded_amount', 12, 2).notNullable().defaultTo(0);
      t.integer('invoice_number');
      t.timestamp('invoice_issued_at', { useTz: true });
      t.integer('status_checks').notNullable().defaultTo(0);
      t.timestamp('last_checked_at', { useTz: true });
      t.timestamp('payment_date', { useTz: true });
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.integer('version').notNullable();
      t.index(['member_id', 'created_at', 'id']);
      t.index(['payment_status', 'created_at']);
      t.unique(['society_id', 'invoice_number']);
    },
    payment_refunds: (t) => {
      t.uuid('id').primary();
      t.uuid('payment_id').notNullable().index();
      t.decimal('amount', 12, 2).notNullable();
      t.text('currency').notNullable();
      t.text('reason').notNullable();
      t.uuid('refunded_by').notNullable();
      t.text('status').notNullable();
      t.timestamp('requested_at', { useTz: true }).notNullable();
      t.timestamp('refunded_at', { useTz: true });
      t.timestamp('failed_at', { useTz: true });
      t.text('failure_reason');
      t.index(['status', 'requested_at']);
    },
    revenue_entries: (t) => {
      t.uuid('id').primary();
      t.text('kind').notNullable();
      t.uuid('payment_id').notNullable();
      t.uuid('society_id').notNullable();
      t.uuid('plan_id').notNullable();
      t.text('plan_name').notNullable();
      t.text('month').notNullable();
      t.decimal('amount', 12, 2).notNullable();
      t.text('currency').notNullable();
      t.timestamp('occurred_at', { useTz: true }).notNullable();
      t.index(['society_id', 'month', 'plan_id']);
      t.index([...REVENUE_BY_SOCIETY_COLUMNS]);
    },
  },
  handles: Object.keys(factSchemas),
  applyBatch: async (events, { trx, table }) => {
    const facts = events.map(billingFact);
    const tables: BillingTables = {
      plans: new RowCache<PlanRow>(trx, table('subscription_plans'), ['id']),
      subscriptions: new RowCache<SubscriptionRow>(trx, table('member_subscriptions'), ['id']),
      payments: new RowCache<PaymentRow>(trx, table('payments'), ['id']),
      refunds: new RowCache<RefundRow>(trx, table('payment_refunds'), ['id']),
      revenue: new RowCache<RevenueEntryRow>(trx, table('revenue_entries'), ['id']),
    };
    const keys = keysTouchedBy(facts);
    for (const name of tableNames) await tables[name].load(keys[name]);
    for (const fact of facts) foldFact(tables, fact);
    await flushAll(...tableNames.map((name) => tables[name]));
  },
};

/** Every row key the facts read or write, per table: what one query per table loads. */
const keysTouchedBy = (facts: readonly BillingFact[]): Record<TableName, string[]> => {
  const keys: Record<TableName, string[]> = {
    plans: [],
    subscriptions: [],
    payments: [],
    refunds: [],
    revenue: [],
  };
  for (const fact of facts) {
    if (isPlanFact(fact)) keys.plans.push(fact.data.planId);
    else if (isSubscriptionFact(fact)) keys.subscriptions.push(fact.data.subscriptionId);
    else {
      keys.payments.push(fact.data.paymentId);
      if (fact.type === 'PaymentCompleted') keys.revenue.push(fact.data.paymentId);
      if (fact.type === 'RefundRequested' || fact.type === 'RefundFailed')
        keys.refunds.push(fact.data.refundId);
      if (fact.type === 'PaymentRefunded') {
        keys.refunds.push(fact.data.refundId);
        keys.revenue.push(fact.data.refundId);
      }
    }
  }
  return keys;
};

/** One fact folded into the batch's rows, in memory. */
const foldFact = (tables: BillingTables, fact: BillingFact): void => {
  if (isPlanFact(fact)) return putChanged(tables.plans, evolvePlan(tables.plans.get(fact.data.planId), fact));
  if (isSubscriptionFact(fact))
    return putChanged(
      tables.subscriptions,
      evolveSubscription(tables.subscriptions.get(fact.data.subscriptionId), fact),
    );
  const { paymentId } = fact.data;
  if (fact.type === 'RefundRequested' || fact.type === 'RefundFailed')
    return putChanged(tables.refunds, evolveRefund(tables.refunds.get(fact.data.refundId), fact, tables));
  putChanged(tables.payments, evolvePayment(tables.payments.get(paymentId), fact));
  if (fact.type !== 'PaymentCompleted' && fact.type !== 'PaymentRefunded') return;
  // Booked from the payment as it stands, whether or not this fact changed it (a replay does not),
  // and inserted only once: the payment's or the refund's id is the entry's key.
  const payment = tables.payments.get(paymentId);
  if (!payment) throw new Error(`payments: ${fact.type} for payment ${paymentId}, never initiated`);
  if (fact.type === 'PaymentCompleted') {
    tables.revenue.insertIfAbsent(paymentRevenue(payment, fact.data));
  } else {
    putChanged(tables.refunds, completedRefund(tables.refunds.get(fact.data.refundId), payment, fact.data));
    tables.revenue.insertIfAbsent(refundRevenue(payment, fact.data));
  }
};

const putChanged = <Row extends object>(cache: RowCache<Row>, row: Row | undefined) => {
  if (row) cache.put(row);
};
