/**
 * The billing projection's rows as it holds them in a batch (timestamps as Date or the event's ISO
 * text), and its tables.
 */
import type {
  MemberSubscriptionRow,
  PaymentRow as StoredPaymentRow,
  PlanRow as StoredPlanRow,
} from './billingQueries';
import type { RowCache, Instant } from '../engine/rowCache';
import type { RecordedEvent } from '../../events/store/eventStore';

export type PlanRow = StoredPlanRow<Instant>;
export type SubscriptionRow = MemberSubscriptionRow<Instant>;
export type PaymentRow = StoredPaymentRow<Instant>;

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

export interface BillingTables {
  plans: RowCache<PlanRow>;
  subscriptions: RowCache<SubscriptionRow>;
  payments: RowCache<PaymentRow>;
  refunds: RowCache<RefundRow>;
  revenue: RowCache<RevenueEntryRow>;
}
export type TableName = keyof BillingTables;
/** Load and flush order; no table refers to another, so any order would do. */
export const tableNames: readonly TableName[] = ['plans', 'subscriptions', 'payments', 'refunds', 'revenue'];

/**
 * The row with `changes` and the event's stamp, or undefined when there is no row or it has seen
 * this event already: replaying an older event must not roll a row back.
 */
export const changedRow = <Row extends { version: number; updated_at: Instant }>(
  row: Row | undefined,
  event: RecordedEvent,
  changes: Partial<Row>,
): Row | undefined =>
  row && row.version < event.revision
    ? { ...row, ...changes, updated_at: event.createdAt, version: event.revision }
    : undefined;
