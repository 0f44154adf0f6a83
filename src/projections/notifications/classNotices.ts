import type { Knex } from 'knex';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionContext } from '../engine/projection';
import { classMessage, type ClassFacts } from './notificationMessages';
import { cancelPendingReminders, queueNotifications, type Recipient } from './outbox';

/** What the notices about a class and its bookings share: lookups in the projection's own tables. */
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface ClassRow {
  id: string;
  society_id: string;
  name: string;
  starts_at: Date;
  timezone: string;
  trainer_id: string | null;
  status: string;
}

export const memberRecipient = async (
  ctx: ProjectionContext,
  memberId: string,
): Promise<Recipient | undefined> => {
  const row = await ctx.trx(ctx.table('notification_members')).where({ id: memberId }).first();
  return row
    ? { kind: 'member', id: row.id, userId: row.user_id, email: row.email, phoneNumber: row.phone_number }
    : undefined;
};

export const trainerRecipient = async (
  ctx: ProjectionContext,
  trainerId: string,
): Promise<Recipient | undefined> => {
  const row = await ctx.trx(ctx.table('notification_trainers')).where({ id: trainerId }).first();
  // A trainer's account id is their trainer id (signup opens the profile under the user's id).
  return row
    ? { kind: 'trainer', id: row.id, userId: row.id, email: row.email, phoneNumber: row.phone_number }
    : undefined;
};

export const findClass = (ctx: ProjectionContext, classId: string): Promise<ClassRow | undefined> =>
  ctx.trx(ctx.table('notification_classes')).where({ id: classId }).first();

export const asFacts = (c: ClassRow): ClassFacts => ({
  name: c.name,
  startsAt: c.starts_at,
  timezone: c.timezone,
});

/** Members holding a seat (confirmed or waitlisted) in a class. */
export const bookedMembers = async (ctx: ProjectionContext, classId: string): Promise<Recipient[]> => {
  const rows = await ctx
    .trx(`${ctx.table('notification_bookings')} as b`)
    .join(`${ctx.table('notification_members')} as m`, 'm.id', 'b.member_id')
    .where('b.class_id', classId)
    .whereIn('b.status', ['confirmed', 'waitlisted'])
    .select('m.*');
  return rows.map((row) => ({
    kind: 'member' as const,
    id: row.id,
    userId: row.user_id,
    email: row.email,
    phoneNumber: row.phone_number,
  }));
};

export const reminderTime = (startsAt: Date) => new Date(startsAt.getTime() - DAY_MS);

/** Queues a class notice to each recipient, now. */
export const notifyAboutClass = (
  ctx: ProjectionContext,
  event: RecordedEvent,
  type: Parameters<typeof classMessage>[0],
  cls: ClassRow,
  recipients: readonly Recipient[],
  extra: { reason?: string } = {},
) =>
  queueNotifications(
    ctx.trx,
    recipients.map((recipient) => ({
      type,
      recipient,
      classId: cls.id,
      societyId: cls.society_id,
      ...classMessage(type, asFacts(cls), extra),
      scheduledTime: event.createdAt,
      sourceEventId: event.id,
    })),
  );

/** A confirmed seat: confirmation (or promotion) now, and a reminder 24 h before the class. */
export const notifySeatConfirmed = async (
  event: RecordedEvent,
  ctx: ProjectionContext,
  fresh: boolean,
  classId: string,
  memberId: string,
  type: 'booking_confirmation' | 'waitlist_promotion',
) => {
  await upsertBooking(ctx.trx, ctx.table('notification_bookings'), classId, memberId, 'confirmed');
  const cls = await findClass(ctx, classId);
  const member = await memberRecipient(ctx, memberId);
  if (!fresh || !cls || !member) return;
  await notifyAboutClass(ctx, event, type, cls, [member]);
  const remindAt = reminderTime(new Date(cls.starts_at));
  // Booked less than a day ahead: the confirmation is the reminder.
  if (remindAt.getTime() > event.createdAt.getTime()) {
    await queueNotifications(ctx.trx, [
      {
        type: 'reminder',
        recipient: member,
        classId,
        societyId: cls.society_id,
        ...classMessage('reminder', asFacts(cls)),
        scheduledTime: remindAt,
        sourceEventId: event.id,
      },
    ]);
  }
};

export const notifySeatReleased = async (
  event: RecordedEvent,
  ctx: ProjectionContext,
  fresh: boolean,
  classId: string,
  memberId: string,
  reason?: string,
) => {
  await upsertBooking(ctx.trx, ctx.table('notification_bookings'), classId, memberId, 'canceled');
  await cancelPendingReminders(ctx.trx, classId, memberId);
  const cls = await findClass(ctx, classId);
  const member = await memberRecipient(ctx, memberId);
  if (!fresh || !cls || !member) return;
  await notifyAboutClass(ctx, event, 'cancellation', cls, [member], { reason });
};

export const recordWaitlisted = (ctx: ProjectionContext, classId: string, memberId: string) =>
  upsertBooking(ctx.trx, ctx.table('notification_bookings'), classId, memberId, 'waitlisted');

const upsertBooking = (
  trx: Knex.Transaction,
  table: string,
  classId: string,
  memberId: string,
  status: string,
) =>
  trx(table)
    .insert({ class_id: classId, member_id: memberId, status })
    .onConflict(['class_id', 'member_id'])
    .merge({ status });
