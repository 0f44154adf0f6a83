import { normaliseAmount } from '../../events/billing/money';
import type { PaymentMethod } from '../../events/billing/paymentEvents';
import type { Position } from '../../events/store/position';
import { streams } from '../../events/streams';
import { CommandRefusedError, type CommandHandler, type CommandMetadata } from '../handling/commandHandler';
import { refuse } from '../handling/decider';
import { uniqueClaimDecider } from '../uniqueness/uniqueClaimDecider';
import { withUniqueClaim } from '../uniqueness/uniqueClaims';
import { amountMismatchDetail } from './amountMismatch';
import { billingStreams } from './billingStreams';
import { inProcessQueue } from './inProcessQueue';
import { gatewayForMethod, type BillingGateways } from './billingGateways';
import type { GatewayOutcome } from './gateway/paymentGateway';
import { paymentDecider } from './paymentDecider';
import { settlePayment } from './paymentSettlement';
import { subscriptionDecider } from './subscriptionDecider';

const refused = (...args: Parameters<typeof refuse>) => new CommandRefusedError(refuse(...args));

export interface PaymentRequest {
  paymentId: string;
  memberId: string;
  planId: string;
  amount: string;
  transactionId: string;
  method: PaymentMethod;
}

/** Where the payment's latest fact stands: its answer waits for the read side to get there. */
const latestPosition = async (commands: CommandHandler, paymentId: string) =>
  (await commands.load(streams.payment(paymentId), paymentDecider)).events.at(-1)?.position;

/** Who holds this transaction id, if anyone: the payment that claimed it first. */
export const paymentOwningTransaction = async (commands: CommandHandler, transactionId: string) =>
  (await commands.load(billingStreams.transactionId(transactionId), uniqueClaimDecider)).state.owner;

/**
 * A repeat of a transaction id answers with the first payment's outcome (the provider retried,
 * or the client did). Someone else's transaction id is a conflict, and reveals nothing.
 */
const firstOutcome = async (commands: CommandHandler, ownerPaymentId: string, request: PaymentRequest) => {
  const first = (await commands.load(streams.payment(ownerPaymentId), paymentDecider)).state;
  // Claimed but not recorded yet: the first request is still under way in another process.
  if (!first.exists)
    throw refused(
      'transaction-in-progress',
      409,
      'A payment with this transaction id is being processed',
      'Retry in a moment to get its outcome.',
    );
  if (first.details.memberId !== request.memberId || first.details.planId !== request.planId)
    throw refused(
      'transaction-id-taken',
      409,
      'This transaction id belongs to another payment',
      'Each payment needs a transaction_id of its own: send this payment with a new transaction_id.',
    );
  return {
    paymentId: ownerPaymentId,
    repeated: true,
    position: await latestPosition(commands, ownerPaymentId),
  };
};

/**
 * Pay for the member's subscription awaiting payment on this plan:
 * claim the transaction id → reserve the subscription for this payment → record the payment →
 * ask the gateway → settle. A refusal before the payment is recorded gives the claims back and
 * writes nothing that matters; after it, the payment exists and is settled by the gateway's
 * answer, a webhook, or the status check.
 */
const payOnce = async (
  commands: CommandHandler,
  gateways: BillingGateways,
  request: PaymentRequest,
  metadata: CommandMetadata,
): Promise<{ paymentId: string; repeated: boolean; position: Position | undefined }> => {
  const owner = await paymentOwningTransaction(commands, request.transactionId);
  if (owner !== undefined && owner !== request.paymentId) return firstOutcome(commands, owner, request);
  // The same request again (its Idempotency-Key names the same payment): answer with it, once recorded.
  if (owner === request.paymentId) {
    const recorded = (await commands.load(streams.payment(request.paymentId), paymentDecider)).state;
    if (recorded.exists) return firstOutcome(commands, owner, request);
  }

  const amount = normaliseAmount(request.amount);
  const subscriptions = (
    await commands.load(streams.memberSubscriptions(request.memberId), subscriptionDecider)
  ).state;
  const subscription = subscriptions.subscriptions.find(
    (s) =>
      s.terms.planId === request.planId &&
      s.paidBy === null &&
      s.cancelledAt === null &&
      (s.openPaymentId === null || s.openPaymentId === request.paymentId),
  );
  if (!subscription)
    throw refused(
      'no-subscription-awaiting-payment',
      422,
      'The member has no subscription on this plan awaiting payment',
      'Subscribe first (POST /members/{id}/subscribe), or wait for the payment in progress to settle.',
    );
  const { terms } = subscription;
  // The price the member subscribed at (a plan's later price change does not touch it), checked
  // before anything is claimed, so a wrong amount writes nothing.
  if (normaliseAmount(terms.price) !== amount)
    throw refused(
      'amount-mismatch',
      422,
      'The amount does not match the plan price',
      amountMismatchDetail(amount, terms.price, terms.currency),
      { expected: normaliseAmount(terms.price), currency: terms.currency },
    );
  const gateway = gatewayForMethod(gateways, request.method);
  const step = (name: string): CommandMetadata => ({
    ...metadata,
    commandId: `${metadata.commandId}:${name}`,
  });

  try {
    await withUniqueClaim(
      commands,
      {
        streamId: billingStreams.transactionId(request.transactionId),
        kind: 'transaction-id',
        owner: request.paymentId,
      },
      metadata,
      async () => {
        await commands.handle(
          streams.memberSubscriptions(request.memberId),
          subscriptionDecider,
          {
            type: 'OpenSubscriptionPayment',
            subscriptionId: subscription.subscriptionId,
            paymentId: request.paymentId,
            amount,
          },
          step('OpenSubscriptionPayment'),
        );
        const initiate = commands.handle(
          streams.payment(request.paymentId),
          paymentDecider,
          {
            type: 'InitiatePayment',
            paymentId: request.paymentId,
            memberId: request.memberId,
            societyId: terms.societyId,
            subscriptionId: subscription.subscriptionId,
            planId: terms.planId,
            planName: terms.planName,
            amount,
            currency: terms.currency,
            transactionId: request.transactionId,
            method: request.method,
            gateway: gateway.name,
            timeZone: terms.timeZone,
          },
          step('InitiatePayment'),
        );
        await initiate.catch(async (error: unknown) => {
          await commands.handle(
            streams.memberSubscriptions(request.memberId),
            subscriptionDecider,
            {
              type: 'FailSubscriptionPayment',
              subscriptionId: subscription.subscriptionId,
              paymentId: request.paymentId,
              reason: 'not-recorded',
            },
            step('ReleaseSubscriptionPayment'),
          );
          throw error;
        });
      },
    );
  } catch (error) {
    // Lost a race for the transaction id: the winner's outcome is the answer.
    if (error instanceof CommandRefusedError && error.refusal.type === 'transaction-id-taken') {
      const winner = await paymentOwningTransaction(commands, request.transactionId);
      if (winner && winner !== request.paymentId) return firstOutcome(commands, winner, request);
    }
    throw error;
  }

  const charge = {
    paymentId: request.paymentId,
    transactionId: request.transactionId,
    amount,
    currency: terms.currency,
    memberId: request.memberId,
  };
  // A provider that times out may still have charged: the payment stays pending, and the status
  // check asks the provider later rather than guessing now.
  const outcome = await gateway
    .charge(charge)
    .catch((): GatewayOutcome => ({ status: 'pending', reference: `unconfirmed_${request.paymentId}` }));
  await settlePayment(commands, request.paymentId, outcome, metadata);
  return {
    paymentId: request.paymentId,
    repeated: false,
    position: await latestPosition(commands, request.paymentId),
  };
};

/**
 * Requests with one transaction id are handled one after another in this process, so a repeat
 * arriving while the first is under way waits for it and answers with its outcome. (Across
 * processes the transaction claim still decides; the loser meets `transaction-in-progress`.)
 */
const oneAtATime = inProcessQueue();

export const payForSubscription = (
  commands: CommandHandler,
  gateways: BillingGateways,
  request: PaymentRequest,
  metadata: CommandMetadata,
): Promise<{ paymentId: string; repeated: boolean; position: Position | undefined }> =>
  oneAtATime(commands, request.transactionId, () => payOnce(commands, gateways, request, metadata));
