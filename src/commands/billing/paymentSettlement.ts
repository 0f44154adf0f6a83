import { deriveCommandId } from '../../events/eventIds';
import { streams } from '../../events/streams';
import type { CommandHandler, CommandMetadata } from '../handling/commandHandler';
import type { GatewayOutcome } from './gateway/paymentGateway';
import { billingStreams } from './billingStreams';
import { invoiceSequenceDecider } from './invoiceSequenceDecider';
import { paymentDecider } from './paymentDecider';
import { subscriptionDecider } from './subscriptionDecider';

/**
 * Follow-up command ids derive from the payment, so whoever settles it (the POST, a webhook, the
 * status check after a crash) issues the same commands, and each is applied once.
 */
const followUp = (metadata: CommandMetadata, paymentId: string, step: string): CommandMetadata => ({
  ...metadata,
  commandId: deriveCommandId(paymentId, step),
  commandType: step,
  causationId: metadata.commandId,
});

/**
 * After a payment completed: activate its subscription, take the society's next invoice number,
 * record it on the payment. Each step is idempotent, so running this again (the status check
 * does, for any completed payment without an invoice) finishes what a crash interrupted.
 */
export const finishCompletedPayment = async (
  commands: CommandHandler,
  paymentId: string,
  metadata: CommandMetadata,
): Promise<void> => {
  const payment = (await commands.load(streams.payment(paymentId), paymentDecider)).state;
  if (!payment.exists || payment.completedAt === null) return;
  const { memberId, subscriptionId, societyId } = payment.details;
  await commands.handle(
    streams.memberSubscriptions(memberId),
    subscriptionDecider,
    { type: 'ActivateSubscription', subscriptionId, paymentId, paidAt: new Date(payment.completedAt) },
    followUp(metadata, paymentId, 'ActivateSubscription'),
  );
  if (payment.invoiceNumber !== null) return;
  await commands.handle(
    billingStreams.invoiceSequence(societyId),
    invoiceSequenceDecider,
    { type: 'AssignInvoiceNumber', societyId, paymentId },
    followUp(metadata, paymentId, 'AssignInvoiceNumber'),
  );
  const sequence = (await commands.load(billingStreams.invoiceSequence(societyId), invoiceSequenceDecider))
    .state;
  await commands.handle(
    streams.payment(paymentId),
    paymentDecider,
    { type: 'RecordInvoice', paymentId, invoiceNumber: sequence.byPayment.get(paymentId)! },
    followUp(metadata, paymentId, 'RecordInvoice'),
  );
};

/** Records what the gateway said, then the consequences for the subscription. */
export const settlePayment = async (
  commands: CommandHandler,
  paymentId: string,
  outcome: GatewayOutcome,
  metadata: CommandMetadata,
): Promise<void> => {
  if (outcome.status === 'pending') return;
  const payment = (await commands.load(streams.payment(paymentId), paymentDecider)).state;
  if (!payment.exists) return;
  if (outcome.status === 'completed') {
    await commands.handle(
      streams.payment(paymentId),
      paymentDecider,
      { type: 'CompletePayment', paymentId, gatewayReference: outcome.reference },
      followUp(metadata, paymentId, 'CompletePayment'),
    );
    await finishCompletedPayment(commands, paymentId, metadata);
    return;
  }
  await commands.handle(
    streams.payment(paymentId),
    paymentDecider,
    { type: 'FailPayment', paymentId, reason: outcome.reason },
    followUp(metadata, paymentId, 'FailPayment'),
  );
  // The subscription is free for another attempt.
  await commands.handle(
    streams.memberSubscriptions(payment.details.memberId),
    subscriptionDecider,
    {
      type: 'FailSubscriptionPayment',
      subscriptionId: payment.details.subscriptionId,
      paymentId,
      reason: outcome.reason,
    },
    followUp(metadata, paymentId, 'FailSubscriptionPayment'),
  );
};
