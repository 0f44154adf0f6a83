import type { RecordedEvent } from '../../events/store/eventStore';
import { notificationIdFor } from '../../events/notifications/notificationIds';
import { webhookTypeOf } from '../../commands/webhooks/webhookEventTypes';
import type { ProjectionContext } from '../engine/projection';

/** The society a fact belongs to, from its data or the notifications projection's own tables. */
const societyOf = async (event: RecordedEvent, ctx: ProjectionContext): Promise<string | undefined> => {
  const data = event.data as { societyId?: string; classId?: string; paymentId?: string };
  if (data.societyId) return data.societyId;
  if (data.classId) {
    return (await ctx.trx(ctx.table('notification_classes')).where({ id: data.classId }).first('society_id'))
      ?.society_id;
  }
  if (data.paymentId) {
    return (
      await ctx.trx(ctx.table('notification_payments')).where({ id: data.paymentId }).first('society_id')
    )?.society_id;
  }
  return undefined;
};

/**
 * Queues a delivery of a fact to every active webhook of its society subscribed to its type,
 * in the projection's transaction. The delivery id follows from the fact and the subscription:
 * a replay queues nothing twice, and receivers dedupe on it.
 */
export const fanOutToWebhooks = async (event: RecordedEvent, ctx: ProjectionContext): Promise<void> => {
  const type = webhookTypeOf(event.type);
  if (!type) return;
  const societyId = await societyOf(event, ctx);
  if (!societyId) return;
  const subscriptions: { id: string }[] = await ctx
    .trx('webhook_subscriptions')
    .where({ society_id: societyId, active: true })
    .whereRaw('? = ANY(event_types)', [type])
    .select('id');
  if (!subscriptions.length) return;
  const payload = {
    id: event.id,
    type,
    occurred_at: event.createdAt.toISOString(),
    society_id: societyId,
    data: event.data,
  };
  await ctx
    .trx('webhook_deliveries')
    .insert(
      subscriptions.map((s) => ({
        id: notificationIdFor(event.id, 'webhook', s.id),
        subscription_id: s.id,
        event_id: event.id,
        event_type: type,
        payload: JSON.stringify(payload),
        next_attempt_at: event.createdAt,
      })),
    )
    .onConflict('id')
    .ignore();
};
