import type { Knex } from 'knex';
import type { ProjectionDefinition } from '../engine/projection';
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
} from '../../events/billing/paymentEvents';
import { localDateOf } from '../../commands/classes/classTime';

/**
 * Billing's read tables (all money numeric(12,2) with a currency; analysts may query them):
 * - `subscription_plans`: one row per plan; `society_id` null = offered to every society.
 * - `member_subscriptions`: one row per subscription; `status` awaiting_payment | paid |
 *   cancelled | expired. Active at instant T = status 'paid' and starts_at <= T < ends_at.
 * - `payments`: one row per payment, as GET /payments/{member_id} shows it; `refunded_amount`
 *   sums its refunds, `invoice_number` is per society.
 * - `payment_refunds`: one row per refund.
 * - `revenue_entries`: one signed row per completed payment (+) and refund (−), with the month
 *   (yyyy-mm in the society's time zone) it counts in. Revenue = SUM(amount): exact, and a
 *   replayed event inserts nothing twice (primary key = the payment or refund id).
 */
const changed = (trx: Knex.Transaction, tableName: string, id: string, event: RecordedEvent) =>
  // Replaying an older event must not roll a row back.
  trx(tableName).where({ id }).andWhere('version', '<', event.revision);

export const billingProjection: ProjectionDefinition = {
  name: 'billing',
  version: 1,
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
      t.timestamp('refunded_at', { useTz: true }).notNullable();
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
  handles: [
    'PlanCreated',
    'PlanChanged',
    'PlanRetired',
    'SubscriptionRequested',
    'SubscriptionPaymentOpened',
    'SubscriptionPaymentFailed',
    'SubscriptionActivated',
    'SubscriptionShortened',
    'SubscriptionCancelled',
    'SubscriptionExpired',
    'PaymentInitiated',
    'PaymentCompleted',
    'PaymentFailed',
    'PaymentRefunded',
    'PaymentStatusChecked',
    'InvoiceIssued',
  ],
  apply: async (event, { trx, table }) => {
    const at = event.createdAt;
    const touch = { updated_at: at, version: event.revision };
    switch (event.type) {
      case 'PlanCreated': {
        const d = planCreatedSchema.parse(event.data);
        await trx(table('subscription_plans'))
          .insert({
            id: d.planId,
            society_id: d.societyId,
            name: d.name,
            price: d.price,
            currency: d.currency,
            duration_in_days: d.durationInDays,
            retired: false,
            created_by: d.createdBy,
            created_at: at,
            ...touch,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'PlanChanged': {
        const { planId, changes } = planChangedSchema.parse(event.data);
        const columns = {
          name: changes.name,
          price: changes.price,
          currency: changes.currency,
          duration_in_days: changes.durationInDays,
        };
        await changed(trx, table('subscription_plans'), planId, event).update({
          ...Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)),
          ...touch,
        });
        return;
      }
      case 'PlanRetired': {
        const { planId } = planRetiredSchema.parse(event.data);
        await changed(trx, table('subscription_plans'), planId, event).update({ retired: true, ...touch });
        return;
      }
      case 'SubscriptionRequested': {
        const d = subscriptionRequestedSchema.parse(event.data);
        await trx(table('member_subscriptions'))
          .insert({
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
            renewal_of: d.renewalOf,
            created_at: at,
            ...touch,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'SubscriptionPaymentOpened':
      case 'SubscriptionPaymentFailed': {
        const d = (
          event.type === 'SubscriptionPaymentOpened'
            ? subscriptionPaymentOpenedSchema
            : subscriptionPaymentFailedSchema
        ).parse(event.data);
        await changed(trx, table('member_subscriptions'), d.subscriptionId, event).update({
          payment_id: event.type === 'SubscriptionPaymentOpened' ? d.paymentId : null,
          ...touch,
        });
        return;
      }
      case 'SubscriptionActivated': {
        const d = subscriptionActivatedSchema.parse(event.data);
        await changed(trx, table('member_subscriptions'), d.subscriptionId, event).update({
          status: 'paid',
          payment_id: d.paymentId,
          starts_at: d.startsAt,
          ends_at: d.endsAt,
          ...touch,
        });
        return;
      }
      case 'SubscriptionShortened': {
        const d = subscriptionShortenedSchema.parse(event.data);
        await changed(trx, table('member_subscriptions'), d.subscriptionId, event).update({
          ends_at: d.endsAt,
          ...touch,
        });
        return;
      }
      case 'SubscriptionCancelled': {
        const d = subscriptionCancelledSchema.parse(event.data);
        await changed(trx, table('member_subscriptions'), d.subscriptionId, event).update({
          status: 'cancelled',
          cancelled_at: d.cancelledAt,
          cancel_reason: d.reason,
          ...touch,
        });
        return;
      }
      case 'SubscriptionExpired': {
        const d = subscriptionExpiredSchema.parse(event.data);
        await changed(trx, table('member_subscriptions'), d.subscriptionId, event).update({
          status: 'expired',
          ...touch,
        });
        return;
      }
      case 'PaymentInitiated': {
        const d = paymentInitiatedSchema.parse(event.data);
        await trx(table('payments'))
          .insert({
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
            created_at: at,
            ...touch,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'PaymentCompleted': {
        const d = paymentCompletedSchema.parse(event.data);
        await changed(trx, table('payments'), d.paymentId, event).update({
          payment_status: 'completed',
          gateway_reference: d.gatewayReference,
          payment_date: d.completedAt,
          ...touch,
        });
        const payment = await trx(table('payments')).where({ id: d.paymentId }).first();
        await trx(table('revenue_entries'))
          .insert({
            id: d.paymentId,
            kind: 'payment',
            payment_id: d.paymentId,
            society_id: payment.society_id,
            plan_id: payment.plan_id,
            plan_name: payment.plan_name,
            month: monthOf(d.completedAt, payment.time_zone),
            amount: payment.amount,
            currency: payment.currency,
            occurred_at: d.completedAt,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'PaymentFailed': {
        const d = paymentFailedSchema.parse(event.data);
        await changed(trx, table('payments'), d.paymentId, event).update({
          payment_status: 'failed',
          failure_reason: d.reason,
          ...touch,
        });
        return;
      }
      case 'PaymentRefunded': {
        const d = paymentRefundedSchema.parse(event.data);
        await changed(trx, table('payments'), d.paymentId, event).update({
          payment_status: 'refunded',
          refunded_amount: d.totalRefunded,
          ...touch,
        });
        const payment = await trx(table('payments')).where({ id: d.paymentId }).first();
        await trx(table('payment_refunds'))
          .insert({
            id: d.refundId,
            payment_id: d.paymentId,
            amount: d.amount,
            currency: payment.currency,
            reason: d.reason,
            refunded_by: d.refundedBy,
            refunded_at: d.refundedAt,
          })
          .onConflict('id')
          .ignore();
        await trx(table('revenue_entries'))
          .insert({
            id: d.refundId,
            kind: 'refund',
            payment_id: d.paymentId,
            society_id: payment.society_id,
            plan_id: payment.plan_id,
            plan_name: payment.plan_name,
            month: monthOf(d.refundedAt, payment.time_zone),
            // numeric negation in SQL: the amount never passes through a float.
            amount: trx.raw('(?::numeric) * -1', [d.amount]),
            currency: payment.currency,
            occurred_at: d.refundedAt,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'PaymentStatusChecked': {
        const d = paymentStatusCheckedSchema.parse(event.data);
        await changed(trx, table('payments'), d.paymentId, event).update({
          status_checks: d.attempt,
          last_checked_at: d.checkedAt,
          ...touch,
        });
        return;
      }
      case 'InvoiceIssued': {
        const d = invoiceIssuedSchema.parse(event.data);
        await changed(trx, table('payments'), d.paymentId, event).update({
          invoice_number: d.invoiceNumber,
          invoice_issued_at: d.issuedAt,
          ...touch,
        });
        return;
      }
    }
  },
};

/** The society-local month (yyyy-mm) an instant counts in. */
const monthOf = (instant: string, timeZone: string): string =>
  localDateOf(new Date(instant), timeZone).slice(0, 7);
