import type { ProjectionDefinition } from '../engine/projection';
import {
  INSERT_DELIVERIES,
  webhookDeliveriesOf,
  webhookFactOf,
  type WebhookFact,
  type WebhookSubscription,
} from '../webhooks/webhookFanout';
import { memberDecisionNotice, paymentOutcomeNotice, subscriptionNotice } from './accountNotices';
import { loadBatch } from './batchLoad';
import { writeBatch, type Write } from './batchWrite';
import { bookingChanges } from './bookingFacts';
import {
  classCanceledChanges,
  classRescheduledChanges,
  classScheduledNotices,
  scheduledNotice,
  trainerAssignedNotices,
} from './classNotices';
import { NOTIFICATION_FACT_TYPES, notificationFact, type NotificationFact } from './notificationFacts';
import { OutboxBatch, type OutboxChange } from './outbox';
import { keysRead } from './workingKeys';
import { WorkingTables, type WorkingView } from './workingTables';

/**
 * `notifications` (the outbox, a plain table from migration 0007): facts → notices. Its own
 * small tables keep what the notices need (recipients' contacts, classes, bookings, payments)
 * so they never depend on how far another projection has got. Analysts: the outbox is
 * `notifications` + `notification_deliveries`; the tables below are working state.
 *
 * Set-based, in two round trips: a batch loads the working rows, the pending reminders and the
 * webhook subscriptions it can touch in ONE statement (batchLoad.ts), folds its facts over them in
 * memory in `$all` order (working tables first, then the notices, which read them as they stand
 * after the fact), and writes the changed tables, the outbox and the webhook deliveries in ONE
 * statement (batchWrite.ts). Live, these run inside the engine's shared transaction, so every
 * booking's answer waits for each round trip; a statement with nothing to do is not sent.
 */
export const notificationsProjection: ProjectionDefinition = {
  name: 'notifications',
  version: 1,
  tables: {
    notification_societies: (t) => {
      t.uuid('id').primary();
      t.text('timezone').notNullable();
    },
    notification_members: (t) => {
      t.uuid('id').primary();
      t.uuid('user_id');
      t.uuid('society_id').notNullable();
      t.text('status').notNullable();
      t.text('name').notNullable();
      t.text('email');
      t.text('phone_number');
      t.index(['society_id', 'status']);
    },
    notification_trainers: (t) => {
      t.uuid('id').primary();
      t.text('name').notNullable();
      t.text('email');
      t.text('phone_number');
    },
    notification_users: (t) => {
      t.uuid('id').primary();
      t.text('role').notNullable();
      t.text('name').notNullable();
      t.text('email');
      t.text('phone_number');
      t.index(['role']);
    },
    notification_classes: (t) => {
      t.uuid('id').primary();
      t.uuid('society_id').notNullable();
      t.text('name').notNullable();
      t.timestamp('starts_at', { useTz: true }).notNullable();
      t.text('timezone').notNullable();
      t.uuid('trainer_id');
      t.text('status').notNullable();
    },
    notification_bookings: (t) => {
      t.uuid('class_id').notNullable();
      t.uuid('member_id').notNullable();
      t.text('status').notNullable();
      t.primary(['class_id', 'member_id']);
    },
    notification_payments: (t) => {
      t.uuid('id').primary();
      t.uuid('member_id').notNullable();
      t.uuid('society_id').notNullable();
      t.text('plan_name').notNullable();
      t.text('amount').notNullable();
      t.text('currency').notNullable();
    },
  },
  handles: NOTIFICATION_FACT_TYPES,
  applyBatch: async (events, ctx) => {
    const now = Date.now();
    const facts = events.map((event) => notificationFact(event, now));
    const keys = keysRead(facts);
    const found = await loadBatch(ctx.trx, ctx.table, keys);
    const tables = new WorkingTables(ctx);
    tables.seed(keys, found);
    const outbox = new OutboxBatch();
    outbox.rememberPending(found.reminders);
    const webhooks: WebhookFact[] = [];
    for (const fact of facts) {
      tables.apply(fact);
      outbox.apply(outboxChangesOf(fact, tables));
      const webhook = fact.fresh ? webhookFactOf(fact.event, tables) : undefined;
      if (webhook) webhooks.push(webhook);
    }
    await writeBatch(ctx.trx, [
      ...tables.writes(),
      ...outbox.writes(),
      ...deliveriesWrite(webhooks, found.subscriptions),
    ]);
  },
};

/** The webhook deliveries to queue, if any fact goes to a subscribed webhook. */
const deliveriesWrite = (
  facts: readonly WebhookFact[],
  subscriptions: readonly WebhookSubscription[],
): Write[] => {
  const deliveries = webhookDeliveriesOf(facts, subscriptions);
  return deliveries.length > 0 ? [{ sql: INSERT_DELIVERIES, bindings: [JSON.stringify(deliveries)] }] : [];
};

/** What a fact does to the outbox, read against the working tables as they stand after it. */
const outboxChangesOf = (fact: NotificationFact, view: WorkingView): readonly OutboxChange[] => {
  switch (fact.type) {
    case 'MemberApproved':
    case 'MemberRejected':
      return memberDecisionNotice(fact, view);
    case 'ClassScheduled':
      return classScheduledNotices(fact, view);
    case 'ClassRescheduled':
      return classRescheduledChanges(fact, view);
    case 'TrainerAssignedToClass':
      return trainerAssignedNotices(fact, view);
    case 'ClassCanceled':
      return classCanceledChanges(fact, view);
    case 'PaymentCompleted':
    case 'PaymentFailed':
      return paymentOutcomeNotice(fact, view);
    case 'SubscriptionExpired':
    case 'SubscriptionExpiryNoticeGiven':
      return subscriptionNotice(fact, view);
    case 'NotificationScheduled':
      return scheduledNotice(fact, view);
    case 'BookingConfirmed':
    case 'BookingWaitlisted':
    case 'BookingPromoted':
    case 'BookingCanceled':
      return bookingChanges(fact, view);
    default:
      return [];
  }
};
