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

/** An active webhook of a society, as the notifications projection's batch loads it. */
export interface WebhookSubscription {
  readonly id: string;
  readonly society_id: string;
  readonly event_types: readonly string[];
}

/** A replayed fact's deliveries exist already and stay as they are. */
export const INSERT_DELIVERIES = `
  INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, payload, next_attempt_at)
  SELECT id, subscription_id, event_id, event_type, payload, next_attempt_at
    FROM jsonb_populate_recordset(NULL::webhook_deliveries, ?::jsonb)
  ON CONFLICT (id) DO NOTHING`;

/**
 * The deliveries of each fact to every active webhook of its society subscribed to its type,
 * written in the projection's transaction (INSERT_DELIVERIES). The delivery id follows from the
 * fact and the subscription: a replay queues nothing twice, and receivers dedupe on it.
 */
export const webhookDeliveriesOf = (
  facts: readonly WebhookFact[],
  subscriptions: readonly WebhookSubscription[],
) => {
  const bySociety = new Map<string, WebhookSubscription[]>();
  for (const s of subscriptions) bySociety.set(s.society_id, [...(bySociety.get(s.society_id) ?? []), s]);
  return facts.flatMap(({ event, type, societyId }) => {
    const subscribed = (bySociety.get(societyId) ?? []).filter((s) => s.event_types.includes(type));
    const payload = {
      id: event.id,
      type,
      occurred_at: event.createdAt.toISOString(),
      society_id: societyId,
      data: event.data,
    };
    return subscribed.map((s) => ({
      id: notificationIdFor(event.id, 'webhook', s.id),
      subscription_id: s.id,
      event_id: event.id,
      event_type: type,
      payload,
      next_attempt_at: event.createdAt,
    }));
  });
};
