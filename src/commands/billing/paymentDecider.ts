import { refuse, type Decider } from '../shared/decider';
import type { PaymentEvent, PaymentInitiated, PaymentStatus } from '../../events/billing/paymentEvents';
import { fromMinorUnits, toMinorUnits } from '../../events/billing/money';

export type PaymentCommand =
  | ({ type: 'InitiatePayment' } & Omit<PaymentInitiated['data'], 'initiatedAt'>)
  | { type: 'CompletePayment'; paymentId: string; gatewayReference: string }
  | { type: 'FailPayment'; paymentId: string; reason: string }
  | { type: 'RecordStatusCheck'; paymentId: string }
  | {
      type: 'RefundPayment';
      paymentId: string;
      refundId: string;
      /** Null: everything not yet refunded. */
      amount: string | null;
      reason: string;
      refundedBy: string;
      gatewayReference: string;
    }
  | { type: 'RecordInvoice'; paymentId: string; invoiceNumber: number };

export type PaymentState =
  | { exists: false }
  | {
      exists: true;
      details: PaymentInitiated['data'];
      status: PaymentStatus;
      completedAt: string | null;
      refundedMinor: number;
      statusChecks: number;
      lastCheckedAt: string | null;
      invoiceNumber: number | null;
    };

const notFound = (paymentId: string) =>
  refuse('payment-not-found', 404, 'Payment not found', `No payment ${paymentId}`);

/** What is left to refund on a payment, in minor units. */
export const refundableMinor = (state: Extract<PaymentState, { exists: true }>) =>
  state.status === 'completed' || state.status === 'refunded'
    ? toMinorUnits(state.details.amount) - state.refundedMinor
    : 0;

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
      case 'PaymentRefunded':
        return { ...state, status: 'refunded', refundedMinor: toMinorUnits(event.data.totalRefunded) };
      case 'PaymentStatusChecked':
        return { ...state, statusChecks: event.data.attempt, lastCheckedAt: event.data.checkedAt };
      case 'InvoiceIssued':
        return { ...state, invoiceNumber: event.data.invoiceNumber };
    }
  },
  decide: (command, state, ctx) => {
    const now = ctx.now.toISOString();
    if (command.type === 'InitiatePayment') {
      if (state.exists) return refuse('payment-exists', 409, 'This payment already exists');
      const { type: _type, ...data } = command;
      return [{ type: 'PaymentInitiated', data: { ...data, initiatedAt: now } }];
    }
    if (!state.exists) return notFound(command.paymentId);
    const { paymentId } = command;
    switch (command.type) {
      case 'CompletePayment':
        if (state.status !== 'pending') {
          if (state.status === 'failed')
            return refuse('payment-already-settled', 409, 'This payment has already failed', undefined, {
              payment_status: state.status,
            });
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
          return refuse('payment-already-settled', 409, 'This payment has already completed', undefined, {
            payment_status: state.status,
          });
        return [{ type: 'PaymentFailed', data: { paymentId, failedAt: now, reason: command.reason } }];
      case 'RecordStatusCheck':
        if (state.status !== 'pending') return [];
        return [
          {
            type: 'PaymentStatusChecked',
            data: { paymentId, checkedAt: now, attempt: state.statusChecks + 1 },
          },
        ];
      case 'RefundPayment': {
        if (state.status !== 'completed' && state.status !== 'refunded')
          return refuse(
            'payment-not-refundable',
            422,
            'Only a completed payment can be refunded',
            undefined,
            {
              payment_status: state.status,
            },
          );
        const left = refundableMinor(state);
        const amount = command.amount === null ? left : toMinorUnits(command.amount);
        if (left === 0)
          return refuse('payment-fully-refunded', 422, 'This payment has been refunded in full');
        if (amount <= 0 || amount > left)
          return refuse(
            'refund-exceeds-payment',
            422,
            'The refund exceeds what is left of the payment',
            undefined,
            {
              refundable: fromMinorUnits(left),
            },
          );
        return [
          {
            type: 'PaymentRefunded',
            data: {
              paymentId,
              refundId: command.refundId,
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
      case 'RecordInvoice':
        if (state.invoiceNumber !== null) return [];
        if (state.status === 'pending' || state.status === 'failed')
          return refuse('payment-not-completed', 422, 'Only a completed payment has an invoice');
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
