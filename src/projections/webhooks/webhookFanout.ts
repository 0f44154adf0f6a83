import type { Knex } from 'knex';
import type { RecordedEvent } from '../../events/store/eventStore';
import { notificationIdFor } from '../../events/notifications/notificationIds';
import { webhookTypeOf, type WebhookEventType } from '../../events/webhooks/webhookEventTypes';

/** A fact a society's webhooks may be told about. */
export interface WebhookFact {
  readonly event: RecordedEvent;
  readonly type: WebhookEventType;
  readonly societyId: string;
}

/** Where a fact's society is found when its data does not name it: the notifications projection's tables. */
export interface SocietyLookups {
  class(id: string): { society_id: string } | undefined;
  payment(id: string): { society_id: string } | undefined;
}

/** The fact as its webhooks see it, or undefined when it has no public type or no known society. */
export const webhookFactOf = (event: RecordedEvent, lookups: SocietyLookups): WebhookFact | undefined => {
  const type = webhookTypeOf(event.type);
  if (!type) return undefined;
  const data = event.data as { societyId?: string; classId?: string; paymentId?: string };
  const societyId = data.societyId
    ? data.societyId
    : data.classId
      ? lookups.class(data.classId)?.society_id
      : data.paymentId
        ? lookups.payment(data.paymentId)?.society_id
        : undefined;
  return societyId ? { event, type, societyId } : undefined;
};

const ACTIVE_SUBSCRIPTIONS_OF_SOCIETIES = `
  SELECT id, society_id, event_types FROM webhook_subscriptions
   WHERE active AND society_id = ANY(?::uuid[])`;

const INSERT_DELIVERIES = `
  INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, payload, next_attempt_at)
  SELECT id, subscription_id, event_id, event_type, payload, next_attempt_at
    FROM jsonb_populate_recordset(NULL::webhook_deliveries, ?::jsonb)
  ON CONFLICT (id) DO NOTHING`;

/**
 * Queues a delivery of each fact to every active webhook of its society subscribed to its type,
 * in the projection's transaction: one query for the subscriptions of all the facts' societies,
 * one INSERT. The delivery id follows from the fact and the subscription: a replay queues nothing
 * twice, and receivers dedupe on it.
 */
export const queueWebhookDeliveries = async (
  trx: Knex.Transaction,
  facts: readonly WebhookFact[],
): Promise<void> => {
  if (facts.length === 0) return;
  const { rows } = await trx.raw<{ rows: { id: string; society_id: string; event_types: string[] }[] }>(
    ACTIVE_SUBSCRIPTIONS_OF_SOCIETIES,
    [[...new Set(facts.map((f) => f.societyId))]],
  );
  if (rows.length === 0) return;
  const bySociety = new Map<string, typeof rows>();
  for (const s of rows) bySociety.set(s.society_id, [...(bySociety.get(s.society_id) ?? []), s]);
  const deliveries = facts.flatMap(({ event, type, societyId }) => {
    const subscriptions = (bySociety.get(societyId) ?? []).filter((s) => s.event_types.includes(type));
    const payload = {
      id: event.id,
      type,
      occurred_at: event.createdAt.toISOString(),
      society_id: societyId,
      data: event.data,
    };
    return subscriptions.map((s) => ({
      id: notificationIdFor(event.id, 'webhook', s.id),
      subscription_id: s.id,
      event_id: event.id,
      event_type: type,
      payload,
      next_attempt_at: event.createdAt,
    }));
  });
  if (deliveries.length > 0) await trx.raw(INSERT_DELIVERIES, [JSON.stringify(deliveries)]);
};
