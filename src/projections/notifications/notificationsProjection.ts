import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionContext, ProjectionDefinition } from '../engine/projection';
import {
  memberDecidedSchema,
  memberOnboardedSchema,
  memberProfileChangedSchema,
} from '../../events/members/memberEvents';
import {
  classCanceledSchema,
  classDetailsChangedSchema,
  classRescheduledSchema,
  classScheduledSchema,
  trainerAssignedToClassSchema,
} from '../../events/classes/classEvents';
import {
  trainerProfileCreatedSchema,
  trainerProfileUpdatedSchema,
} from '../../events/trainers/trainerEvents';
import { userRegisteredSchema } from '../../events/identity/userEvents';
import {
  paymentCompletedSchema,
  paymentFailedSchema,
  paymentInitiatedSchema,
} from '../../events/billing/paymentEvents';
import {
  subscriptionExpiredSchema,
  subscriptionExpiryNoticeGivenSchema,
} from '../../events/billing/subscriptionEvents';
import { notificationScheduledSchema } from '../../events/notifications/notificationEvents';
import { societyDetailsChangedSchema, societyRegisteredSchema } from '../../events/societies/societyEvents';
import { classMessage, formatLocalTime } from './notificationMessages';
import { cancelPendingReminders, moveReminders, queueNotifications } from './outbox';
import { bookingFacts } from './bookingFacts';
import { fanOutToWebhooks } from '../webhooks/webhookFanout';

import {
  DAY_MS,
  asFacts,
  bookedMembers,
  findClass,
  memberRecipient,
  notifyAboutClass,
  reminderTime,
  trainerRecipient,
} from './classNotices';

/**
 * Facts older than this queue nothing. A projection version that learns a new notification type
 * replays the whole log; without this horizon it would tell members about last year's classes.
 * Generous enough to cover the projection being down for a long weekend.
 */
const FRESHNESS_HORIZON_MS = 4 * DAY_MS;

/**
 * `notifications` (the outbox, a plain table from migration 0007): facts → notices. Its own
 * small tables keep what the notices need (recipients' contacts, classes, bookings, payments)
 * so they never depend on how far another projection has got. Analysts: the outbox is
 * `notifications` + `notification_deliveries`; the tables below are working state.
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
  handles: [
    'SocietyRegistered',
    'SocietyDetailsChanged',
    'UserRegistered',
    'MemberOnboarded',
    'MemberProfileChanged',
    'MemberApproved',
    'MemberRejected',
    'TrainerProfileCreated',
    'TrainerProfileUpdated',
    'ClassScheduled',
    'ClassDetailsChanged',
    'ClassRescheduled',
    'TrainerAssignedToClass',
    'ClassCanceled',
    'PaymentInitiated',
    'PaymentCompleted',
    'PaymentFailed',
    'SubscriptionExpired',
    'SubscriptionExpiryNoticeGiven',
    'NotificationScheduled',
    ...bookingFacts.handles,
  ],
  apply: async (event, ctx) => {
    const fresh = Date.now() - event.createdAt.getTime() < FRESHNESS_HORIZON_MS;
    await applyFact(event, ctx, fresh);
    if (fresh) await fanOutToWebhooks(event, ctx);
  },
};

const applyFact = async (event: RecordedEvent, ctx: ProjectionContext, fresh: boolean): Promise<void> => {
  const { trx, table } = ctx;
  switch (event.type) {
    case 'SocietyRegistered': {
      const d = societyRegisteredSchema.parse(event.data);
      await trx(table('notification_societies'))
        .insert({ id: d.societyId, timezone: d.timezone })
        .onConflict('id')
        .ignore();
      return;
    }
    case 'SocietyDetailsChanged': {
      const d = societyDetailsChangedSchema.parse(event.data);
      if (d.changes.timezone)
        await trx(table('notification_societies'))
          .where({ id: d.societyId })
          .update({ timezone: d.changes.timezone });
      return;
    }
    case 'UserRegistered': {
      const d = userRegisteredSchema.parse(event.data);
      await trx(table('notification_users'))
        .insert({ id: d.userId, role: d.role, name: d.name, email: d.email, phone_number: d.phoneNumber })
        .onConflict('id')
        .ignore();
      return;
    }
    case 'MemberOnboarded': {
      const d = memberOnboardedSchema.parse(event.data);
      await trx(table('notification_members'))
        .insert({
          id: d.memberId,
          user_id: d.userId,
          society_id: d.societyId,
          status: 'pending',
          name: d.name,
          email: d.email,
          phone_number: d.phoneNumber,
        })
        .onConflict('id')
        .ignore();
      return;
    }
    case 'MemberProfileChanged': {
      const { memberId, changes } = memberProfileChangedSchema.parse(event.data);
      const columns = { name: changes.name, email: changes.email, phone_number: changes.phoneNumber };
      const defined = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
      if (Object.keys(defined).length)
        await trx(table('notification_members')).where({ id: memberId }).update(defined);
      return;
    }
    case 'MemberApproved':
    case 'MemberRejected': {
      const d = memberDecidedSchema.parse(event.data);
      const approved = event.type === 'MemberApproved';
      await trx(table('notification_members'))
        .where({ id: d.memberId })
        .update({ status: approved ? 'approved' : 'rejected' });
      const member = await memberRecipient(ctx, d.memberId);
      if (!fresh || !member) return;
      await queueNotifications(trx, [
        {
          type: approved ? 'member_approved' : 'member_rejected',
          recipient: member,
          societyId: d.societyId,
          subject: approved ? 'Your membership is approved' : 'Your membership application was declined',
          body: approved
            ? 'Welcome! Your membership is approved: you can now book classes.'
            : `Your membership application was declined${d.reason ? `: ${d.reason}` : '.'}`,
          scheduledTime: event.createdAt,
          sourceEventId: event.id,
        },
      ]);
      return;
    }
    case 'TrainerProfileCreated': {
      const d = trainerProfileCreatedSchema.parse(event.data);
      await trx(table('notification_trainers'))
        .insert({ id: d.trainerId, name: d.name, email: d.email, phone_number: d.phoneNumber })
        .onConflict('id')
        .ignore();
      return;
    }
    case 'TrainerProfileUpdated': {
      const { trainerId, changes } = trainerProfileUpdatedSchema.parse(event.data);
      const columns = { name: changes.name, email: changes.email, phone_number: changes.phoneNumber };
      const defined = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
      if (Object.keys(defined).length)
        await trx(table('notification_trainers')).where({ id: trainerId }).update(defined);
      return;
    }
    case 'ClassScheduled': {
      const d = classScheduledSchema.parse(event.data);
      await trx(table('notification_classes'))
        .insert({
          id: d.classId,
          society_id: d.societyId,
          name: d.name,
          starts_at: d.startsAt,
          timezone: d.timezone,
          trainer_id: d.trainerId,
          status: 'scheduled',
        })
        .onConflict('id')
        .ignore();
      const cls = (await findClass(ctx, d.classId))!;
      if (!fresh || new Date(d.startsAt).getTime() <= event.createdAt.getTime()) return;
      const members = await trx(table('notification_members')).where({
        society_id: d.societyId,
        status: 'approved',
      });
      await notifyAboutClass(
        ctx,
        event,
        'new_event',
        cls,
        members.map((m) => ({
          kind: 'member' as const,
          id: m.id,
          userId: m.user_id,
          email: m.email,
          phoneNumber: m.phone_number,
        })),
      );
      const trainer = d.trainerId ? await trainerRecipient(ctx, d.trainerId) : undefined;
      if (trainer) await notifyAboutClass(ctx, event, 'trainer_assignment', cls, [trainer]);
      return;
    }
    case 'ClassDetailsChanged': {
      const { classId, changes } = classDetailsChangedSchema.parse(event.data);
      if (changes.name)
        await trx(table('notification_classes')).where({ id: classId }).update({ name: changes.name });
      return;
    }
    case 'ClassRescheduled': {
      const d = classRescheduledSchema.parse(event.data);
      await trx(table('notification_classes'))
        .where({ id: d.classId })
        .update({ starts_at: d.startsAt, timezone: d.timezone });
      const cls = await findClass(ctx, d.classId);
      if (!cls) return;
      await moveReminders(
        trx,
        d.classId,
        reminderTime(new Date(d.startsAt)),
        classMessage('reminder', asFacts(cls)),
      );
      if (!fresh) return;
      const recipients = await bookedMembers(ctx, d.classId);
      const trainer = cls.trainer_id ? await trainerRecipient(ctx, cls.trainer_id) : undefined;
      await notifyAboutClass(
        ctx,
        event,
        'event_update',
        cls,
        trainer ? [...recipients, trainer] : recipients,
      );
      return;
    }
    case 'TrainerAssignedToClass': {
      const d = trainerAssignedToClassSchema.parse(event.data);
      await trx(table('notification_classes')).where({ id: d.classId }).update({ trainer_id: d.trainerId });
      const cls = await findClass(ctx, d.classId);
      const trainer = await trainerRecipient(ctx, d.trainerId);
      if (!fresh || !cls || !trainer) return;
      await notifyAboutClass(ctx, event, 'trainer_assignment', cls, [trainer]);
      return;
    }
    case 'ClassCanceled': {
      const d = classCanceledSchema.parse(event.data);
      await trx(table('notification_classes')).where({ id: d.classId }).update({ status: 'canceled' });
      await cancelPendingReminders(trx, d.classId);
      const cls = await findClass(ctx, d.classId);
      if (!fresh || !cls) return;
      const recipients = await bookedMembers(ctx, d.classId);
      const trainer = cls.trainer_id ? await trainerRecipient(ctx, cls.trainer_id) : undefined;
      await notifyAboutClass(
        ctx,
        event,
        'cancellation',
        cls,
        trainer ? [...recipients, trainer] : recipients,
        {
          reason: d.reason,
        },
      );
      return;
    }
    case 'PaymentInitiated': {
      const d = paymentInitiatedSchema.parse(event.data);
      await trx(table('notification_payments'))
        .insert({
          id: d.paymentId,
          member_id: d.memberId,
          society_id: d.societyId,
          plan_name: d.planName,
          amount: d.amount,
          currency: d.currency,
        })
        .onConflict('id')
        .ignore();
      return;
    }
    case 'PaymentCompleted':
    case 'PaymentFailed': {
      const completed = event.type === 'PaymentCompleted';
      const { paymentId } = completed
        ? paymentCompletedSchema.parse(event.data)
        : paymentFailedSchema.parse(event.data);
      const reason = completed ? undefined : paymentFailedSchema.parse(event.data).reason;
      const payment = await trx(table('notification_payments')).where({ id: paymentId }).first();
      const member = payment ? await memberRecipient(ctx, payment.member_id) : undefined;
      if (!fresh || !payment || !member) return;
      const what = `${payment.currency} ${payment.amount} for ${payment.plan_name}`;
      await queueNotifications(trx, [
        {
          type: completed ? 'payment_completed' : 'payment_failed',
          recipient: member,
          societyId: payment.society_id,
          subject: completed ? 'Payment received' : 'Payment failed',
          body: completed
            ? `We received your payment of ${what}. Thank you!`
            : `Your payment of ${what} failed${reason ? `: ${reason}` : '.'} Please try again.`,
          scheduledTime: event.createdAt,
          sourceEventId: event.id,
        },
      ]);
      return;
    }
    case 'SubscriptionExpiryNoticeGiven':
    case 'SubscriptionExpired': {
      const expired = event.type === 'SubscriptionExpired';
      const d = expired
        ? subscriptionExpiredSchema.parse(event.data)
        : subscriptionExpiryNoticeGivenSchema.parse(event.data);
      const member = await memberRecipient(ctx, d.memberId);
      if (!fresh || !member) return;
      const endsAt = 'endsAt' in d ? d.endsAt : d.endedAt;
      const society = await trx(table('notification_societies')).where({ id: d.societyId }).first();
      const zone: string = society?.timezone ?? 'UTC';
      await queueNotifications(trx, [
        {
          type: expired ? 'subscription_expired' : 'subscription_expiring',
          recipient: member,
          societyId: d.societyId,
          subject: expired ? 'Your subscription has expired' : 'Your subscription ends soon',
          body: expired
            ? 'Your subscription has expired. Renew it to keep booking classes.'
            : `Your subscription ends on ${formatLocalTime(endsAt, zone)}. Renew it to keep booking classes.`,
          scheduledTime: event.createdAt,
          sourceEventId: event.id,
        },
      ]);
      return;
    }
    case 'NotificationScheduled': {
      const d = notificationScheduledSchema.parse(event.data);
      const cls = await findClass(ctx, d.classId);
      const member = await memberRecipient(ctx, d.memberId);
      if (!cls || !member) return;
      await queueNotifications(trx, [
        {
          id: d.notificationId,
          type: d.notificationType,
          recipient: member,
          classId: cls.id,
          societyId: cls.society_id,
          ...classMessage(d.notificationType, asFacts(cls)),
          scheduledTime: new Date(d.scheduledTime),
          sourceEventId: event.id,
        },
      ]);
      return;
    }
    default:
      await bookingFacts.apply(event, ctx, fresh);
  }
};
