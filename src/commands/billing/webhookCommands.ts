import { CommandRefusedError, type CommandHandler, type CommandMetadata } from '../handling/commandHandler';
import { refuse } from '../handling/decider';
import { claimUniqueValue } from '../uniqueness/uniqueClaims';
import { uniqueClaimDecider } from '../uniqueness/uniqueClaimDecider';
import { billingStreams } from './billingStreams';
import { paymentDecider } from './paymentDecider';
import type { Position } from '../../events/store/position';
import { streams } from '../../events/streams';
import type { WebhookNotice } from './gateway/paymentGateway';
import { paymentOwningTransaction } from './paymentCommands';
import { settlePayment } from './paymentSettlement';

export type WebhookResult =
  { outcome: 'applied'; paymentId: string; position: Position | undefined } | { outcome: 'duplicate' };

/**
 * A verified delivery from the gateway. The delivery id is claimed first, so a replay (the
 * provider's retry, or someone re-sending a captured request) is recognised and absorbed; the
 * settlement itself is idempotent too, so a second delivery of the same outcome under another
 * id changes nothing either.
 */
export const applyWebhookNotice = async (
  commands: CommandHandler,
  notice: WebhookNotice,
  metadata: CommandMetadata,
): Promise<WebhookResult> => {
  const paymentId = await paymentOwningTransaction(commands, notice.transactionId);
  // Unknown to us (yet): not claimed, so the provider's retry can still be applied later.
  if (paymentId === undefined)
    throw new CommandRefusedError(
      refuse(
        'payment-not-found',
        404,
        'No payment with this transaction id',
        `transaction ${notice.transactionId}`,
      ),
    );
  const deliveryStream = billingStreams.webhookDelivery(notice.deliveryId);
  const seen = (await commands.load(deliveryStream, uniqueClaimDecider)).state.owner !== undefined;
  if (seen) return { outcome: 'duplicate' };
  // Settle first, record the delivery after: a failure in between leaves it unrecorded, so the
  // provider's retry is applied; a replay racing this one settles nothing twice (settlement
  // commands derive their ids from the payment) and loses the claim below.
  await settlePayment(
    commands,
    paymentId,
    notice.type === 'payment.succeeded'
      ? { status: 'completed', reference: notice.reference }
      : { status: 'failed', reference: notice.reference, reason: notice.reason ?? 'declined' },
    metadata,
  ).catch((error: unknown) => {
    // "Failed" after "completed" (or the reverse) is the provider contradicting itself: keep the
    // first word, absorb the delivery rather than have the provider retry it forever.
    if (error instanceof CommandRefusedError && error.refusal.type === 'payment-already-settled') return;
    throw error;
  });
  const claim = await claimUniqueValue(commands, deliveryStream, 'webhook-delivery', notice.deliveryId, {
    ...metadata,
    commandType: 'ClaimUniqueValue',
  }).catch((error: unknown) => {
    if (error instanceof CommandRefusedError) return undefined;
    throw error;
  });
  if (!claim || claim.replayed || claim.events.length === 0) return { outcome: 'duplicate' };
  const position = (await commands.load(streams.payment(paymentId), paymentDecider)).events.at(-1)?.position;
  return { outcome: 'applied', paymentId, position };
};
