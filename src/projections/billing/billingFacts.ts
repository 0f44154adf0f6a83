/** The billing projection's facts: each handled event parsed once, typed by the row it changes first. */
import type { z } from 'zod';
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
export const factSchemas = { ...planSchemas, ...subscriptionSchemas, ...paymentSchemas };

/** One handled event with its parsed data; `type` narrows `data`. */
type FactOf<Schemas extends Record<string, z.ZodTypeAny>> = {
  [T in keyof Schemas & string]: { type: T; data: z.infer<Schemas[T]>; event: RecordedEvent };
}[keyof Schemas & string];
export type PlanFact = FactOf<typeof planSchemas>;
export type SubscriptionFact = FactOf<typeof subscriptionSchemas>;
export type PaymentFact = FactOf<typeof paymentSchemas>;
export type BillingFact = PlanFact | SubscriptionFact | PaymentFact;

export const billingFact = (event: RecordedEvent): BillingFact => {
  if (!Object.hasOwn(factSchemas, event.type)) throw new Error(`billing does not handle ${event.type}`);
  const schema = factSchemas[event.type as keyof typeof factSchemas];
  return { type: event.type, data: schema.parse(event.data), event } as BillingFact;
};

export const isPlanFact = (fact: BillingFact): fact is PlanFact => Object.hasOwn(planSchemas, fact.type);
export const isSubscriptionFact = (fact: BillingFact): fact is SubscriptionFact =>
  Object.hasOwn(subscriptionSchemas, fact.type);

/** The parsed data the revenue and refund rows are built from. */
export type Completed = z.infer<typeof paymentCompletedSchema>;
export type Refunded = z.infer<typeof paymentRefundedSchema>;
