import { refuse, type Decider } from '../handling/decider';
import type { PaymentInitiated, PaymentStatus, PaymentEvent } from '../../events/billing/paymentEvents';
import { fromMinorUnits, toMinorUnits } from '../../events/billing/money';

export type PaymentCommand =
  | ({ type: 'InitiatePayment' } & Omit<PaymentInitiated['data'], 'initiatedAt'>)
  | { type: 'CompletePayment'; paymentId: string; gatewayReference: string }
  | { type: 'FailPayment'; paymentId: string; reason: string }
  | { type: 'RecordStatusCheck'; paymentId: string }
  | {
      /** Reserve a refund before the provider is asked: refused here, nothing moves anywhere. */
      type: 'RequestRefund';
      paymentId: string;
      refundId: string;
      /** Null: everything not yet refunded nor reserved. */
      amount: string | null;
      reason: string;
      requestedBy: string;
    }
  | {
      /**
       * The provider has refunded: completes the pending request of `refundId` (its amount, reason
       * and requester win over the command's). Without a request it refunds directly, as before
       * requests existed (kept for callers and histories of that time; refundCommands always
       * requests first).
       */
      type: 'RefundPayment';
      paymentId: string;
      refundId: string;
      /** Null: everything not yet refunded nor reserved (direct refunds only). */
      amount: string | null;
      reason: string;
      refundedBy: string;
      gatewayReference: string;
    }
  | { type: 'FailRefund'; paymentId: string; refundId: string; reason: string }
  | { type: 'RecordInvoice'; paymentId: string; invoiceNumber: number };

export type PaymentState =
  | { exists: false }
  | {
      exists: true;
      details: PaymentInitiated['data'];
      status: PaymentStatus;
      completedAt: string | null;
      refundedMinor: number;
      /** Requested refunds with no outcome yet, by refund id: their amounts are held. */
      pendingRefunds: Readonly<Record<string, PendingRefund>>;
      /** Outcomes of requested refunds, by refund id: completing or failing one again is a no-op. */
      refundOutcomes: Readonly<Record<string, 'completed' | 'failed'>>;
      statusChecks: number;
      lastCheckedAt: string | null;
      invoiceNumber: number | null;
    };

export interface PendingRefund {
  readonly amountMinor: number;
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
}

const notFound = (paymentId: string) =>
  refuse('payment-not-found', 404, 'Payment not found', `No payment ${paymentId}`);

/** Held by refunds requested and not yet completed or failed, in minor units. */
export const pendingRefundMinor = (state: Extract<PaymentState, { exists: true }>) =>
  Object.values(state.pendingRefunds).reduce((sum, p) => sum + p.amountMinor, 0);

/** What is left to refund on a payment (paid − refunded − held by pending requests), in minor units. */
export const refundableMinor = (state: Extract<PaymentState, { exists: true }>) =>
  state.status === 'completed' || state.status === 'refunded'
    ? toMinorUnits(state.details.amount) - state.refundedMinor - pendingRefundMinor(state)
    : 0;

const withoutKey = <V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> => {
  const { [key]: _removed, ...rest } = record;
  return rest;
};

type Existing = Extract<PaymentState, { exists: true }>;

/** The checks every new refund passes (a request, or a direct refund): how much, in minor units. */
const refundAmount = (state: Existing, requested: string | null) => {
  if (state.status !== 'completed' && state.status !== 'refunded')
    return refuse(
      'payment-not-refundable',
      422,
      'Only a completed payment can be refunded',
      `This payment is ${state.status}: no money was taken, so there is nothing to refund.`,
      { payment_status: state.status },
    );
  const left = refundableMinor(state);
  const amount = requested === null ? left : toMinorUnits(requested);
  if (left === 0)
    return refuse(
      'payment-fully-refunded',
      422,
      'This payment has been refunded in full',
      `All ${state.details.amount} ${state.details.currency} of this payment is refunded or being refunded; nothing is left to refund.`,
    );
  if (amount <= 0 || amount > left)
    return refuse(
      'refund-exceeds-payment',
      422,
      'The refund exceeds what is left of the payment',
      `At most ${fromMinorUnits(left)} ${state.details.currency} of this payment can still be refunded; ask for that much or less (more than 0), or omit amount to refund all of it.`,
      {
        refundable: fromMinorUnits(left),
      },
    );
  return amount;
};

export const paymentDecider: Decider<PaymentState, PaymentCommand, PaymentEvent> = {
  initialState: () => ({ exists: false }),
  evolve: (state, event) => {
    if (event.type === 'PaymentInitiated')
      return {
        exists: true,
        details: event.data,
        status: 'pending',
        completedAt: null,
        refundedMinor: 0,
        pendingRefunds: {},
        refundOutcomes: {},
        statusChecks: 0,
        lastCheckedAt: null,
        invoiceNumber: null,
      };
    if (!state.exists) return state;
    switch (event.type) {
      case 'PaymentCompleted':
        return { ...state, status: 'completed', completedAt: event.data.completedAt };
      case 'PaymentFailed':
        return { ...state, status: 'failed' };
      case 'RefundRequested':
        return {
          ...state,
          pendingRefunds: {
            ...state.pendingRefunds,
            [event.data.refundId]: {
              amountMinor: toMinorUnits(event.data.amount),
              reason: event.data.reason,
              requestedBy: event.data.requestedBy,
              requestedAt: event.data.requestedAt,
            },
          },
        };
      case 'PaymentRefunded': {
        const { refundId } = event.data;
        const requested = Object.hasOwn(state.pendingRefunds, refundId);
        return {
          ...state,
          status: 'refunded',
          refundedMinor: toMinorUnits(event.data.totalRefunded),
          pendingRefunds: requested ? withoutKey(state.pendingRefunds, refundId) : state.pendingRefunds,
          refundOutcomes: requested
            ? { ...state.refundOutcomes, [refundId]: 'completed' }
            : state.refundOutcomes,
        };
      }
      case 'RefundFailed':
        return {
          ...state,
          pendingRefunds: withoutKey(state.pendingRefunds, event.data.refundId),
          refundOutcomes: { ...state.refundOutcomes, [event.data.refundId]: 'failed' },
        };
      case 'PaymentStatusChecked':
        return { ...state, statusChecks: event.data.attempt, lastCheckedAt: event.data.checkedAt };
      case 'InvoiceIssued':
        return { ...state, invoiceNumber: event.data.invoiceNumber };
    }
  },
  decide: (command, state, ctx) => {
    const now = ctx.now.toISOString();
    if (command.type === 'InitiatePayment') {
      if (state.exists)
        return refuse(
          'payment-exists',
          409,
          'This payment already exists',
          `Payment ${command.paymentId} is already recorded; read it from the member’s payment history.`,
        );
      const { type: _type, ...data } = command;
      return [{ type: 'PaymentInitiated', data: { ...data, initiatedAt: now } }];
    }
    if (!state.exists) return notFound(command.paymentId);
    const { paymentId } = command;
    switch (command.type) {
      case 'CompletePayment':
        if (state.status !== 'pending') {
          if (state.status === 'failed')
            return refuse(
              'payment-already-settled',
              409,
              'This payment has already failed',
              'A failed payment stays failed; pay again with a new transaction_id.',
              { payment_status: state.status },
            );
          return []; // completing twice (a webhook after the synchronous answer) changes nothing
        }
        return [
          {
            type: 'PaymentCompleted',
            data: { paymentId, completedAt: now, gatewayReference: command.gatewayReference },
          },
        ];
      case 'FailPayment':
        if (state.status === 'failed') return [];
        if (state.status !== 'pending')
          return refuse(
            'payment-already-settled',
            409,
            'This payment has already completed',
            'A completed payment cannot fail any more; to give the money back, refund it.',
            { payment_status: state.status },
          );
        return [{ type: 'PaymentFailed', data: { paymentId, failedAt: now, reason: command.reason } }];
      case 'RecordStatusCheck':
        if (state.status !== 'pending') return [];
        return [
          {
            type: 'PaymentStatusChecked',
            data: { paymentId, checkedAt: now, attempt: state.statusChecks + 1 },
          },
        ];
      case 'RequestRefund': {
        const { refundId } = command;
        // The same request again (a retry, or the reconciler racing the request): nothing new.
        if (Object.hasOwn(state.pendingRefunds, refundId) || Object.hasOwn(state.refundOutcomes, refundId))
          return [];
        const amount = refundAmount(state, command.amount);
        if (typeof amount !== 'number') return amount;
        return [
          {
            type: 'RefundRequested',
            data: {
              paymentId,
              refundId,
              amount: fromMinorUnits(amount),
              reason: command.reason,
              requestedBy: command.requestedBy,
              requestedAt: now,
            },
          },
        ];
      }
      case 'RefundPayment': {
        const { refundId } = command;
        if (Object.hasOwn(state.refundOutcomes, refundId)) return []; // completed or failed already
        const pending = state.pendingRefunds[refundId];
        if (pending)
          return [
            {
              type: 'PaymentRefunded',
              data: {
                paymentId,
                refundId,
                amount: fromMinorUnits(pending.amountMinor),
                totalRefunded: fromMinorUnits(state.refundedMinor + pending.amountMinor),
                reason: pending.reason,
                refundedBy: pending.requestedBy,
                refundedAt: now,
                gatewayReference: command.gatewayReference,
              },
            },
          ];
        // No request: a direct refund, decided as it always was.
        const amount = refundAmount(state, command.amount);
        if (typeof amount !== 'number') return amount;
        return [
          {
            type: 'PaymentRefunded',
            data: {
              paymentId,
              refundId,
              amount: fromMinorUnits(amount),
              totalRefunded: fromMinorUnits(state.refundedMinor + amount),
              reason: command.reason,
              refundedBy: command.refundedBy,
              refundedAt: now,
              gatewayReference: command.gatewayReference,
            },
          },
        ];
      }
      case 'FailRefund':
        // Only a pending request can fail; a settled one keeps its first outcome, an unknown one has nothing to release.
        if (!Object.hasOwn(state.pendingRefunds, command.refundId)) return [];
        return [
          {
            type: 'RefundFailed',
            data: { paymentId, refundId: command.refundId, reason: command.reason, failedAt: now },
          },
        ];
      case 'RecordInvoice':
        if (state.invoiceNumber !== null) return [];
        if (state.status === 'pending' || state.status === 'failed')
          return refuse(
            'payment-not-completed',
            422,
            'Only a completed payment has an invoice',
            `This payment is ${state.status}; its invoice is issued when it completes.`,
          );
        return [
          {
            type: 'InvoiceIssued',
            data: {
              paymentId,
              societyId: state.details.societyId,
              invoiceNumber: command.invoiceNumber,
              issuedAt: now,
            },
          },
        ];
    }
  },
};
