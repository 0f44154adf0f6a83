import { fromMinorUnits, normaliseAmount } from '../../events/billing/money';
import type { PaymentRefunded } from '../../events/billing/paymentEvents';
import type { Position } from '../../events/store/position';
import { streams } from '../../events/streams';
import { CommandRefusedError, type CommandHandler, type CommandMetadata } from '../handling/commandHandler';
import { refuse } from '../handling/decider';
import { gatewayNamed, type BillingGateways } from './billingGateways';
import { RefundRefusedError } from './gateway/paymentGateway';
import { inProcessQueue } from './inProcessQueue';
import { paymentDecider } from './paymentDecider';
import { subscriptionDecider } from './subscriptionDecider';

const onePerPayment = inProcessQueue();

/** Test seams: where a process may die between two steps of a refund. */
export interface RefundHooks {
  /** After the provider refunded, before `PaymentRefunded` is recorded. */
  readonly afterGatewayRefund?: () => Promise<void>;
}

/** What became of a requested refund once the provider answered and the answer is recorded. */
export type RefundOutcome =
  | { readonly outcome: 'refunded'; readonly refund: PaymentRefunded['data']; readonly position?: Position }
  | { readonly outcome: 'failed'; readonly reason: string; readonly position?: Position };

const stepOf = (metadata: CommandMetadata, step: string): CommandMetadata => ({
  ...metadata,
  commandId: `${metadata.commandId}:${step}`,
  commandType: step,
});

/** Where a refund stands in the payment's history: its recorded outcome, or still pending. */
const standing = async (commands: CommandHandler, paymentId: string, refundId: string) => {
  const { state, events } = await commands.load(streams.payment(paymentId), paymentDecider);
  if (!state.exists) throw new Error(`payment ${paymentId} does not exist`);
  const ofRefund = events.filter((e) => (e.data as { refundId?: unknown }).refundId === refundId);
  const refunded = ofRefund.find((e) => e.type === 'PaymentRefunded');
  const failed = ofRefund.find((e) => e.type === 'RefundFailed');
  return {
    state,
    pending: state.pendingRefunds[refundId],
    refunded: refunded && {
      data: refunded.data as PaymentRefunded['data'],
      position: refunded.position,
    },
    failed: failed && { reason: (failed.data as { reason: string }).reason, position: failed.position },
  };
};

/**
 * Carries out a refund already requested (reserved) on the payment: asks the provider — with the
 * refund id as its idempotency key, so asking again after a lost answer refunds once — then
 * records `PaymentRefunded` and applies it to the subscription, or records `RefundFailed` when the
 * provider refuses (releasing the reservation). Any other gateway error means the outcome is
 * unknown: the request stays pending and the error propagates; the `refund_reconciliation` job
 * asks again later. Each step is idempotent (a settled refund is a no-op in the decider), so the
 * request and the reconciler may race, and either may be cut short and re-run.
 *
 * `metadata.commandId` seeds the steps' command ids (`<id>:RefundPayment`, `<id>:FailRefund`,
 * `<id>:ApplyRefund`).
 */
export const carryOutRequestedRefund = async (
  commands: CommandHandler,
  gateways: BillingGateways,
  { paymentId, refundId }: { paymentId: string; refundId: string },
  metadata: CommandMetadata,
  hooks: RefundHooks = {},
): Promise<RefundOutcome> => {
  const stream = streams.payment(paymentId);
  const before = await standing(commands, paymentId, refundId);
  const { state } = before;
  let refunded = before.refunded;
  if (before.failed) return { outcome: 'failed', ...before.failed };
  if (!refunded) {
    if (!before.pending) throw new Error(`refund ${refundId} of payment ${paymentId} was never requested`);
    const gateway = gatewayNamed(gateways, state.details.gateway) ?? gateways.manual;
    let reference: string;
    try {
      ({ reference } = await gateway.refund({
        paymentId,
        refundId,
        transactionId: state.details.transactionId,
        amount: fromMinorUnits(before.pending.amountMinor),
        currency: state.details.currency,
      }));
    } catch (error) {
      if (!(error instanceof RefundRefusedError)) throw error; // unknown outcome: stays pending
      await commands.handle(
        stream,
        paymentDecider,
        { type: 'FailRefund', paymentId, refundId, reason: error.reason },
        stepOf(metadata, 'FailRefund'),
      );
      const after = await standing(commands, paymentId, refundId);
      if (after.failed) return { outcome: 'failed', ...after.failed };
      if (!after.refunded) throw new Error(`refund ${refundId}: neither failed nor refunded after a refusal`);
      // Someone else recorded the provider's "refunded" first: that word stands.
      refunded = after.refunded;
    }
    if (!refunded) {
      await hooks.afterGatewayRefund?.();
      await commands.handle(
        stream,
        paymentDecider,
        {
          type: 'RefundPayment',
          paymentId,
          refundId,
          amount: null, // the request's amount is the one refunded
          reason: before.pending.reason,
          refundedBy: before.pending.requestedBy,
          gatewayReference: reference!,
        },
        stepOf(metadata, 'RefundPayment'),
      );
      // Read back rather than trust our own append: a racing reconciler may have recorded it first.
      const after = await standing(commands, paymentId, refundId);
      if (!after.refunded) {
        if (after.failed) return { outcome: 'failed', ...after.failed };
        throw new Error(`refund ${refundId}: not recorded after the provider refunded`);
      }
      refunded = after.refunded;
    }
  }
  const event = refunded.data;
  const applied = await commands.handle(
    streams.memberSubscriptions(state.details.memberId),
    subscriptionDecider,
    {
      type: 'ApplyRefund',
      subscriptionId: state.details.subscriptionId,
      paymentId,
      refundId,
      refundedTotal: event.totalRefunded,
      paidAmount: state.details.amount,
      refundedAt: new Date(event.refundedAt),
    },
    stepOf(metadata, 'ApplyRefund'),
  );
  return { outcome: 'refunded', refund: event, position: applied.position ?? refunded.position };
};

/**
 * Refund all (amount null) or part of a completed payment, then apply it to the subscription:
 * a full refund cancels it at once; a partial refund shortens it by the refunded share of its
 * days (rounded up), counted back from its end — cancelling it if nothing would be left.
 *
 * Reserve, then act, then record (docs/architecture.md, "Rules across streams"): `RefundRequested`
 * is appended first — refusals happen there, so a refused refund never moves money, and the
 * amount is held so concurrent refunds (from any process) can never together exceed the payment.
 * Then the provider is asked and its answer recorded (see `carryOutRequestedRefund`).
 */
const refundOnce = async (
  commands: CommandHandler,
  gateways: BillingGateways,
  input: { paymentId: string; refundId: string; amount: string | null; reason: string; refundedBy: string },
  metadata: CommandMetadata,
  hooks: RefundHooks = {},
) => {
  const stream = streams.payment(input.paymentId);
  const requested = await commands.handle(
    stream,
    paymentDecider,
    {
      type: 'RequestRefund',
      paymentId: input.paymentId,
      refundId: input.refundId,
      amount: input.amount === null ? null : normaliseAmount(input.amount),
      reason: input.reason,
      requestedBy: input.refundedBy,
    },
    { ...metadata, commandType: 'RequestRefund' },
  );
  const done = await carryOutRequestedRefund(commands, gateways, input, metadata, hooks);
  if (done.outcome === 'failed')
    throw new CommandRefusedError(
      refuse('refund-refused-by-provider', 422, 'The payment provider refused the refund', done.reason, {
        refund_id: input.refundId,
      }),
    );
  return { ...requested, refund: done.refund, position: done.position ?? requested.position };
};

/**
 * Refunds of one payment are carried out one after another in this process; across processes the
 * reservation in the payment's stream keeps concurrent refunds within the payment.
 */
export const refundPayment = (...args: Parameters<typeof refundOnce>) =>
  onePerPayment(args[0], args[2].paymentId, () => refundOnce(...args));
