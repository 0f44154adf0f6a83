import { DECIMAL_AMOUNT } from '../../events/billing/money';
import { DEFAULT_CURRENCY, SUPPORTED_CURRENCIES } from '../../commands/billing/supportedCurrencies';
import { PAYMENT_METHODS, PAYMENT_STATUSES } from '../../events/billing/paymentEvents';
import { z } from '../openapi/zod';
import { minPosition } from '../http/requestSchemas';
import { plainText } from '../http/plainText';
import { moneyOut } from '../http/moneyJson';

/**
 * Money in: a decimal string ("100.00") is preferred; a JSON number is accepted as the spec's
 * examples send one, but only with at most two decimals — it is read as the text it was
 * written as, never as a float to be rounded.
 */
const money = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => DECIMAL_AMOUNT.test(v), 'must be a decimal amount with at most two decimals, e.g. "100.00"')
  .openapi({ type: 'string', example: '100.00' });
const currency = z
  .enum(SUPPORTED_CURRENCIES, {
    error: `must be a supported currency, one of ${SUPPORTED_CURRENCIES.join(', ')}`,
  })
  .openapi({ example: DEFAULT_CURRENCY });
const timestamp = z.string().openapi({ example: '2025-01-30T12:00:00.000Z' });

export const createPlanBody = z
  .strictObject({
    society_id: z
      .string()
      .uuid()
      .nullable()
      .optional()
      .openapi({
        description:
          'Omitted: the society its admin administers (an admin of several names one; a super_admin’s plan is then offered to every society). ' +
          'null: offered to every society (super_admin only)',
      }),
    name: plainText(120),
    price: money,
    currency: currency.default(DEFAULT_CURRENCY),
    duration_in_days: z.number().int().min(1).max(3660),
  })
  .openapi('CreatePlan');

export const updatePlanBody = z
  .strictObject({ name: plainText(120), price: money, duration_in_days: z.number().int().min(1).max(3660) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change')
  .openapi('UpdatePlan');

export const listPlansQuery = z.strictObject({
  society_id: z.string().uuid().optional(),
  include_retired: z.enum(['true', 'false']).optional(),
  min_position: minPosition,
});

export const planSchema = z
  .object({
    id: z.string().uuid(),
    society_id: z.string().uuid().nullable(),
    name: z.string(),
    price: moneyOut,
    currency: z.string(),
    duration_in_days: z.number().int(),
    retired: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('SubscriptionPlan');
export const planListSchema = z.array(planSchema).openapi('SubscriptionPlanList');

export const subscribeBody = z
  .strictObject({
    subscription_id: z
      .string()
      .uuid()
      .openapi({ description: 'The plan (the spec calls a plan a subscription)' }),
    change_plan: z
      .boolean()
      .default(false)
      .openapi({ description: 'Replace a current subscription on another plan when this one is paid' }),
  })
  .openapi('Subscribe');

export const memberSubscriptionSchema = z
  .object({
    id: z.string().uuid(),
    member_id: z.string().uuid(),
    society_id: z.string().uuid(),
    plan_id: z.string().uuid(),
    plan_name: z.string(),
    price: moneyOut,
    currency: z.string(),
    duration_in_days: z.number().int(),
    status: z.enum(['awaiting_payment', 'paid', 'cancelled', 'expired']),
    active: z.boolean().openapi({ description: 'Paid, started, not ended or cancelled, now' }),
    payment_id: z.string().uuid().nullable(),
    starts_at: timestamp.nullable(),
    ends_at: timestamp.nullable().openapi({ description: 'Exclusive: midnight in the society’s time zone' }),
    cancelled_at: timestamp.nullable(),
    renewal_of: z.string().uuid().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('MemberSubscription');

export const subscribedSchema = z
  .object({
    id: z.string().uuid().openapi({ description: 'The member' }),
    subscription_id: z.string().uuid().openapi({ description: 'The plan' }),
    status: z.string().openapi({ description: 'The member’s status' }),
    member_subscription_id: z.string().uuid(),
    subscription_status: z.string(),
    amount_due: moneyOut,
    currency: z.string(),
    updated_at: timestamp,
  })
  .openapi('Subscribed');

export const memberSubscriptionListSchema = z
  .array(memberSubscriptionSchema)
  .openapi('MemberSubscriptionList');

export const createPaymentBody = z
  .strictObject({
    member_id: z.string().uuid(),
    subscription_id: z.string().uuid().openapi({ description: 'The plan paid for' }),
    amount: money,
    transaction_id: plainText(200),
    method: z.enum(PAYMENT_METHODS).default('online').openapi({
      description: 'online: the configured gateway; cash or upi: an admin records money received',
    }),
  })
  .openapi('CreatePayment');

export const paymentSchema = z
  .object({
    id: z.string().uuid(),
    member_id: z.string().uuid(),
    subscription_id: z.string().uuid().openapi({ description: 'The plan' }),
    member_subscription_id: z.string().uuid(),
    amount: moneyOut,
    currency: z.string(),
    payment_status: z.enum(PAYMENT_STATUSES),
    transaction_id: z.string(),
    method: z.enum(PAYMENT_METHODS),
    refunded_amount: moneyOut,
    failure_reason: z.string().nullable(),
    invoice_number: z.string().nullable().openapi({ example: 'INV-000001' }),
    payment_date: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('Payment');

export const paymentListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'ArcFit-Next-Cursor of the previous page (or follow its Link rel="next")' }),
  min_position: minPosition,
});
export const paymentListSchema = z.array(paymentSchema).openapi('PaymentList');

export const refundBody = z
  .strictObject({
    reason: plainText(500),
    amount: money.optional().openapi({ description: 'Omitted: refund everything not yet refunded' }),
  })
  .openapi('Refund');

export const refundSchema = z
  .object({
    id: z.string().uuid().openapi({ description: 'The payment' }),
    status: z.enum(PAYMENT_STATUSES),
    refund_id: z.string().uuid(),
    refund_amount: moneyOut,
    refunded_total: moneyOut,
    reason: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('RefundResult');

export const webhookAckSchema = z
  .object({ received: z.literal(true), duplicate: z.boolean() })
  .openapi('WebhookAck');

/** What a provider's delivery must carry, once its signature is verified. */
export const webhookPayloadSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().max(100),
  data: z.object({
    transaction_id: z.string().min(1).max(200),
    reference: z.string().max(200).default(''),
    failure_reason: z.string().max(200).optional(),
  }),
});

export const revenueQuery = z.strictObject({
  from: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional()
    .openapi({ description: 'First month, yyyy-mm (society time zone)' }),
  to: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional()
    .openapi({ description: 'Last month, yyyy-mm' }),
  min_position: minPosition,
});

export const revenueSchema = z
  .object({
    id: z.string().uuid(),
    revenue: moneyOut.openapi({ description: 'Completed payments minus refunds (the society’s currency)' }),
    currency: z.string().nullable(),
    totals: z.array(z.object({ currency: z.string(), revenue: moneyOut })),
    breakdown: z.array(
      z.object({
        month: z.string(),
        plan_id: z.string().uuid(),
        plan_name: z.string(),
        currency: z.string(),
        completed: moneyOut,
        refunded: moneyOut,
        net: moneyOut,
      }),
    ),
  })
  .openapi('SocietyRevenue');
