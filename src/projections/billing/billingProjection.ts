import type { z } from 'zod';
import type {
  MemberSubscriptionRow,
  PaymentRow as StoredPaymentRow,
  PlanRow as StoredPlanRow,
} from './billingQueries';
import type { ProjectionDefinition } from '../engine/projection';
import { flushAll, RowCache, type Instant } from '../engine/rowCache';
import type { RecordedEvent } from '../../events/store/eventStore';
import { planChangedSchema, planCreatedSchema, planRetiredSchema } from '../../events/billing/planEvents';
import {
  subscriptionActivatedSchema,
  subscriptionCancelledSchema,
  subscriptionExpiredSchema,
  subscriptionPaymentFailedSchema,
  subscriptionPaymentOpenedSchema,
  subscriptionRequestedSchema,
  subscriptionShortenedSchema,
} from '../../events/billing/subscriptionEvents';
import {
  invoiceIssuedSchema,
  paymentCompletedSchema,
  paymentFailedSchema,
  paymentInitiatedSchema,
  paymentRefundedSchema,
  paymentStatusCheckedSchema,
  refundFailedSchema,
  refundRequestedSchema,
} from '../../events/billing/paymentEvents';
import { normaliseAmount } from '../../events/billing/money';
import { localDateOf } from '../../events/classes/classTime';

/** Billing's events by the row they change first, each with the schema it is parsed with (once). */
const planSchemas = {
  PlanCreated: planCreatedSchema,
  PlanChanged: planChangedSchema,
  PlanRetired: planRetiredSchema,
} as const;
const subscriptionSchemas = {
  SubscriptionRequested: subscriptionRequestedSchema,
  SubscriptionPaymentOpened: subscriptionPaymentOpenedSchema,
  SubscriptionPaymentFailed: subscriptionPaymentFailedSchema,
  SubscriptionActivated: subscriptionActivatedSchema,
  SubscriptionShortened: subscriptionShortenedSchema,
  SubscriptionCancelled: subscriptionCancelledSchema,
  SubscriptionExpired: subscriptionExpiredSchema,
} as const;
const paymentSchemas = {
  PaymentInitiated: paymentInitiatedSchema,
  PaymentCompleted: paymentCompletedSchema,
  PaymentFailed: paymentFailedSchema,
  RefundRequested: refundRequestedSchema,
  PaymentRefunded: paymentRefundedSchema,
  RefundFailed: refundFailedSchema,
  PaymentStatusChecked: paymentStatusCheckedSchema,
  InvoiceIssued: invoiceIssuedSchema,
} as const;
const factSchemas = { ...planSchemas, ...subscriptionSchemas, ...paymentSchemas };

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

type PlanRow = StoredPlanRow<Instant>;
type SubscriptionRow = MemberSubscriptionRow<Instant>;
type PaymentRow = StoredPaymentRow<Instant>;

export interface RefundRow extends Record<string, unknown> {
  id: string;
  payment_id: string;
  amount: string;
  currency: string;
  reason: string;
  /** Who asked for the refund (an admin). */
  refunded_by: string;
  status: RefundStatus;
  requested_at: Instant;
  refunded_at: Instant | null;
  failed_at: Instant | null;
  failure_reason: string | null;
}

export type RefundStatus = 'requested' | 'completed' | 'failed';

export interface RevenueEntryRow extends Record<string, unknown> {
  id: string;
  kind: 'payment' | 'refund';
  payment_id: string;
  society_id: string;
  plan_id: string;
  plan_name: string;
  month: string;
  /** Signed: a refund's amount is negative. */
  amount: string;
  currency: string;
  occurred_at: Instant;
}

interface BillingTables {
  plans: RowCache<PlanRow>;
  subscriptions: RowCache<SubscriptionRow>;
  payments: RowCache<PaymentRow>;
  refunds: RowCache<RefundRow>;
  revenue: RowCache<RevenueEntryRow>;
}
type TableName = keyof BillingTables;
/** Load and flush order; no table refers to another, so any order would do. */
const tableNames: readonly TableName[] = ['plans', 'subscriptions', 'payments', 'refunds', 'revenue'];

/** One handled event with its parsed data; `type` narrows `data`. */
type FactOf<Schemas extends Record<string, z.ZodTypeAny>> = {
  [T in keyof Schemas & string]: { type: T; data: z.infer<Schemas[T]>; event: RecordedEvent };
}[keyof Schemas & string];
type PlanFact = FactOf<typeof planSchemas>;
type SubscriptionFact = FactOf<typeof subscriptionSchemas>;
type PaymentFact = FactOf<typeof paymentSchemas>;
type BillingFact = PlanFact | SubscriptionFact | PaymentFact;

const billingFact = (event: RecordedEvent): BillingFact => {
  if (!Object.hasOwn(factSchemas, event.type)) throw new Error(`billing does not handle ${event.type}`);
  const schema = factSchemas[event.type as keyof typeof factSchemas];
  return { type: event.type, data: schema.parse(event.data), event } as BillingFact;
};

const isPlanFact = (fact: BillingFact): fact is PlanFact => Object.hasOwn(planSchemas, fact.type);
const isSubscriptionFact = (fact: BillingFact): fact is SubscriptionFact =>
  Object.hasOwn(subscriptionSchemas, fact.type);

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

/**
 * The row with `changes` and the event's stamp, or undefined when there is no row or it has seen
 * this event already: replaying an older event must not roll a row back.
 */
const changedRow = <Row extends { version: number; updated_at: Instant }>(
  row: Row | undefined,
  event: RecordedEvent,
  changes: Partial<Row>,
): Row | undefined =>
  row && row.version < event.revision
    ? { ...row, ...changes, updated_at: event.createdAt, version: event.revision }
    : undefined;

/** The plan's row after one fact; undefined leaves it as it is. */
export const evolvePlan = (row: PlanRow | undefined, fact: PlanFact): PlanRow | undefined => {
  const { event } = fact;
  switch (fact.type) {
    case 'PlanCreated': {
      if (row) return undefined;
      const d = fact.data;
      return {
        id: d.planId,
        society_id: d.societyId,
        name: d.name,
        price: d.price,
        currency: d.currency,
        duration_in_days: d.durationInDays,
        retired: false,
        created_by: d.createdBy,
        created_at: event.createdAt,
        updated_at: event.createdAt,
        version: event.revision,
      };
    }
    case 'PlanChanged': {
      const { name, price, currency, durationInDays } = fact.data.changes;
      // Only what changed: a term left out of the event keeps its value.
      const changes: Partial<PlanRow> = {};
      if (name !== undefined) changes.name = name;
      if (price !== undefined) changes.price = price;
      if (currency !== undefined) changes.currency = currency;
      if (durationInDays !== undefined) changes.duration_in_days = durationInDays;
      return changedRow(row, event, changes);
    }
    case 'PlanRetired':
      return changedRow(row, event, { retired: true });
  }
};

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

/** The payment's row after one fact; undefined leaves it as it is. */
export const evolvePayment = (row: PaymentRow | undefined, fact: PaymentFact): PaymentRow | undefined => {
  const { event } = fact;
  switch (fact.type) {
    case 'PaymentInitiated': {
      if (row) return undefined;
      const d = fact.data;
      return {
        id: d.paymentId,
        member_id: d.memberId,
        society_id: d.societyId,
        member_subscription_id: d.subscriptionId,
        plan_id: d.planId,
        plan_name: d.planName,
        amount: d.amount,
        currency: d.currency,
        payment_status: 'pending',
        transaction_id: d.transactionId,
        method: d.method,
        gateway: d.gateway,
        time_zone: d.timeZone,
        gateway_reference: null,
        failure_reason: null,
        refunded_amount: '0.00',
        invoice_number: null,
        invoice_issued_at: null,
        status_checks: 0,
        last_checked_at: null,
        payment_date: null,
        created_at: event.createdAt,
        updated_at: event.createdAt,
        version: event.revision,
      };
    }
    case 'PaymentCompleted':
      return changedRow(row, event, {
        payment_status: 'completed',
        gateway_reference: fact.data.gatewayReference,
        payment_date: fact.data.completedAt,
      });
    case 'PaymentFailed':
      return changedRow(row, event, { payment_status: 'failed', failure_reason: fact.data.reason });
    case 'PaymentRefunded':
      return changedRow(row, event, {
        payment_status: 'refunded',
        refunded_amount: fact.data.totalRefunded,
      });
    case 'PaymentStatusChecked':
      return changedRow(row, event, {
        status_checks: fact.data.attempt,
        last_checked_at: fact.data.checkedAt,
      });
    case 'InvoiceIssued':
      return changedRow(row, event, {
        invoice_number: fact.data.invoiceNumber,
        invoice_issued_at: fact.data.issuedAt,
      });
  }
};

type Completed = z.infer<typeof paymentCompletedSchema>;
type Refunded = z.infer<typeof paymentRefundedSchema>;

/** What a completed payment brings in, in the society's month it completed in. */
const paymentRevenue = (payment: PaymentRow, completed: Completed): RevenueEntryRow => ({
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
const refundRevenue = (payment: PaymentRow, refunded: Refunded): RevenueEntryRow => ({
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

type RefundFact = Extract<PaymentFact, { type: 'RefundRequested' | 'RefundFailed' }>;

/**
 * The refund's row after a request or a refusal; undefined leaves it as it is. A row only moves
 * forward from `requested`, so a replayed fact never rolls an outcome back.
 */
export const evolveRefund = (
  row: RefundRow | undefined,
  fact: RefundFact,
  tables: Pick<BillingTables, 'payments'>,
): RefundRow | undefined => {
  if (fact.type === 'RefundRequested') {
    if (row) return undefined;
    const payment = tables.payments.get(fact.data.paymentId);
    if (!payment)
      throw new Error(`payment_refunds: refund requested on payment ${fact.data.paymentId}, never initiated`);
    return {
      id: fact.data.refundId,
      payment_id: fact.data.paymentId,
      amount: fact.data.amount,
      currency: payment.currency,
      reason: fact.data.reason,
      refunded_by: fact.data.requestedBy,
      status: 'requested',
      requested_at: fact.data.requestedAt,
      refunded_at: null,
      failed_at: null,
      failure_reason: null,
    };
  }
  if (row?.status !== 'requested') return undefined;
  return { ...row, status: 'failed', failed_at: fact.data.failedAt, failure_reason: fact.data.reason };
};

/** The refund's row once money went back: its request completed, or (older histories) a direct refund. */
const completedRefund = (
  row: RefundRow | undefined,
  payment: PaymentRow,
  refunded: Refunded,
): RefundRow | undefined => {
  if (row && row.status !== 'requested') return undefined;
  return {
    id: refunded.refundId,
    payment_id: payment.id,
    amount: refunded.amount,
    currency: payment.currency,
    reason: refunded.reason,
    refunded_by: refunded.refundedBy,
    status: 'completed',
    requested_at: row?.requested_at ?? refunded.refundedAt,
    refunded_at: refunded.refundedAt,
    failed_at: null,
    failure_reason: null,
  };
};

/** "99.5" → "-99.50": a sign on the decimal string, so the amount never passes through a float. */
const negated = (amount: string): string => `-${normaliseAmount(amount)}`;

/** The society-local month (yyyy-mm) an instant counts in. */
const monthOf = (instant: string, timeZone: string): string =>
  localDateOf(new Date(instant), timeZone).slice(0, 7);
