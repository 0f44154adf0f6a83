import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';
import { currencySchema, moneyAmountSchema } from './money';

export const PAYMENT_STATUSES = ['pending', 'completed', 'failed', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** `online` goes through the configured gateway; `cash` and `upi` are an admin's record of money received. */
export const PAYMENT_METHODS = ['online', 'cash', 'upi'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const paymentInitiatedSchema = z.object({
  paymentId: z.string().uuid(),
  memberId: z.string().uuid(),
  societyId: z.string().uuid(),
  /** The member's subscription this pays for (in `member-subscriptions-<memberId>`). */
  subscriptionId: z.string().uuid(),
  planId: z.string().uuid(),
  planName: z.string(),
  amount: moneyAmountSchema,
  currency: currencySchema,
  transactionId: z.string(),
  method: z.enum(PAYMENT_METHODS),
  /** The gateway adapter that handles it: `simulated`, `manual`, or a real provider's name. */
  gateway: z.string(),
  /** The society's zone, so revenue is counted in the society's months. */
  timeZone: z.string(),
  initiatedAt: z.string().datetime(),
});

export const paymentCompletedSchema = z.object({
  paymentId: z.string().uuid(),
  completedAt: z.string().datetime(),
  gatewayReference: z.string(),
});

export const paymentFailedSchema = z.object({
  paymentId: z.string().uuid(),
  failedAt: z.string().datetime(),
  reason: z.string(),
});

/**
 * Money went back to the payer. Since refunds are reserved first it completes a `RefundRequested`
 * of the same `refundId` (same amount); histories from before that have it alone.
 */
export const paymentRefundedSchema = z.object({
  paymentId: z.string().uuid(),
  refundId: z.string().uuid(),
  amount: moneyAmountSchema,
  /** Everything refunded on this payment so far, this refund included. */
  totalRefunded: moneyAmountSchema,
  reason: z.string(),
  refundedBy: z.string().uuid(),
  refundedAt: z.string().datetime(),
  gatewayReference: z.string(),
});

/**
 * A refund asked for and reserved on the payment (docs/architecture.md, "Rules across streams": reserve, then act, then record). The
 * amount is held from what is left to refund until the provider's answer is recorded as
 * `PaymentRefunded` (the money went back) or `RefundFailed` (the provider refused: the hold is
 * released). A request with neither is still being carried out; the `refund_reconciliation` job
 * finishes it.
 */
export const refundRequestedSchema = z.object({
  paymentId: z.string().uuid(),
  refundId: z.string().uuid(),
  amount: moneyAmountSchema,
  reason: z.string(),
  requestedBy: z.string().uuid(),
  requestedAt: z.string().datetime(),
});

/** The provider refused a requested refund: no money moved, and its amount is refundable again. */
export const refundFailedSchema = z.object({
  paymentId: z.string().uuid(),
  refundId: z.string().uuid(),
  reason: z.string(),
  failedAt: z.string().datetime(),
});

/** The gateway said "still pending"; counted so the status check backs off between attempts. */
export const paymentStatusCheckedSchema = z.object({
  paymentId: z.string().uuid(),
  checkedAt: z.string().datetime(),
  attempt: z.number().int().positive(),
});

export const invoiceIssuedSchema = z.object({
  paymentId: z.string().uuid(),
  societyId: z.string().uuid(),
  invoiceNumber: z.number().int().positive(),
  issuedAt: z.string().datetime(),
});

type Of<T extends string, S extends z.ZodType> = DomainEvent<T, z.infer<S>>;
export type PaymentInitiated = Of<'PaymentInitiated', typeof paymentInitiatedSchema>;
export type PaymentCompleted = Of<'PaymentCompleted', typeof paymentCompletedSchema>;
export type PaymentFailed = Of<'PaymentFailed', typeof paymentFailedSchema>;
export type PaymentRefunded = Of<'PaymentRefunded', typeof paymentRefundedSchema>;
export type RefundRequested = Of<'RefundRequested', typeof refundRequestedSchema>;
export type RefundFailed = Of<'RefundFailed', typeof refundFailedSchema>;
export type PaymentStatusChecked = Of<'PaymentStatusChecked', typeof paymentStatusCheckedSchema>;
export type InvoiceIssued = Of<'InvoiceIssued', typeof invoiceIssuedSchema>;
export type PaymentEvent =
  | PaymentInitiated
  | PaymentCompleted
  | PaymentFailed
  | RefundRequested
  | PaymentRefunded
  | RefundFailed
  | PaymentStatusChecked
  | InvoiceIssued;

/** One per society, in `invoice-sequence-<societyId>`: the next number is decided by one stream. */
export const invoiceNumberAssignedSchema = z.object({
  societyId: z.string().uuid(),
  paymentId: z.string().uuid(),
  invoiceNumber: z.number().int().positive(),
});
export type InvoiceNumberAssigned = Of<'InvoiceNumberAssigned', typeof invoiceNumberAssignedSchema>;

/** `INV-000042`: what the PDF and the API show. */
export const formatInvoiceNumber = (n: number) => `INV-${String(n).padStart(6, '0')}`;
