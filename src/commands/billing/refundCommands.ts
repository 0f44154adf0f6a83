import { normaliseAmount } from '../../events/billing/money';
import { streams } from '../../events/streams';
import { CommandRefusedError, type CommandHandler, type CommandMetadata } from '../shared/commandHandler';
import { isRefusal } from '../shared/decider';
import { gatewayNamed, type BillingGateways } from './billingGateways';
import { inProcessQueue } from './inProcessQueue';
import { paymentDecider } from './paymentDecider';
import { subscriptionDecider } from './subscriptionDecider';

const onePerPayment = inProcessQueue();

/**
 * Refund all (amount null) or part of a completed payment, then apply it to the subscription:
 * a full refund cancels it at once; a partial refund shortens it by the refunded share of its
 * days (rounded up), counted back from its end — cancelling it if nothing would be left.
 */
const refundOnce = async (
  commands: CommandHandler,
  gateways: BillingGateways,
  input: { paymentId: string; refundId: string; amount: string | null; reason: string; refundedBy: string },
  metadata: CommandMetadata,
) => {
  const stream = streams.payment(input.paymentId);
  const { state } = await commands.load(stream, paymentDecider);
  const command = {
    type: 'RefundPayment' as const,
    paymentId: input.paymentId,
    refundId: input.refundId,
    amount: input.amount === null ? null : normaliseAmount(input.amount),
    reason: input.reason,
    refundedBy: input.refundedBy,
    gatewayReference: '',
  };
  // Decide before asking the provider, so a refund we would refuse never moves money.
  const check = paymentDecider.decide(command, state, { now: new Date(), newId: () => input.refundId });
  if (isRefusal(check)) throw new CommandRefusedError(check);
  if (!state.exists) throw new Error('unreachable: the decider refuses a missing payment');
  const refunded = check[0]!;
  const gateway = gatewayNamed(gateways, state.details.gateway) ?? gateways.manual;
  const { reference } = await gateway.refund({
    paymentId: input.paymentId,
    refundId: input.refundId,
    transactionId: state.details.transactionId,
    amount: refunded.type === 'PaymentRefunded' ? refunded.data.amount : '0.00',
    currency: state.details.currency,
  });
  const outcome = await commands.handle(
    stream,
    paymentDecider,
    { ...command, gatewayReference: reference },
    metadata,
  );
  const event = outcome.events.find((e) => e.type === 'PaymentRefunded');
  if (event?.type !== 'PaymentRefunded') return { ...outcome, refund: undefined };
  const applied = await commands.handle(
    streams.memberSubscriptions(state.details.memberId),
    subscriptionDecider,
    {
      type: 'ApplyRefund',
      subscriptionId: state.details.subscriptionId,
      paymentId: input.paymentId,
      refundId: event.data.refundId,
      refundedTotal: event.data.totalRefunded,
      paidAmount: state.details.amount,
      refundedAt: new Date(event.data.refundedAt),
    },
    { ...metadata, commandId: `${metadata.commandId}:ApplyRefund`, commandType: 'ApplyRefund' },
  );
  // The answer waits for the later of the two writes, so a client sees the subscription's change too.
  return { ...outcome, refund: event.data, position: applied.position ?? outcome.position };
};

/** Refunds of one payment are decided one after another, so two cannot both reach the provider. */
export const refundPayment = (...args: Parameters<typeof refundOnce>) =>
  onePerPayment(args[0], args[2].paymentId, () => refundOnce(...args));
