import { webhookTypeOf } from '../../events/webhooks/webhookEventTypes';
import type { NotificationFact } from './notificationFacts';

export type BatchKeys = ReturnType<typeof keysRead>;

/**
 * Which rows a batch reads: every key its facts change or look up, so the batch loads them all in
 * one query (batchLoad.ts). Stale facts queue nothing, so the rows only their notices would read
 * are not loaded for them.
 */
export const keysRead = (facts: readonly NotificationFact[]) => {
  const keys = {
    societies: new Set<string>(),
    users: new Set<string>(),
    members: new Set<string>(),
    trainers: new Set<string>(),
    classes: new Set<string>(),
    payments: new Set<string>(),
    /** Seats this batch books or cancels: a booking is written whole, so it needs no load of its own. */
    seats: [] as [string, string][],
    /** Classes whose booked members are told something. */
    classesTold: new Set<string>(),
    /** Societies whose approved members hear of a new class. */
    societiesTold: new Set<string>(),
    /** Payments whose outcome is told to their member. */
    paymentsTold: new Set<string>(),
    /** Classes whose pending reminders a fact cancels or moves. */
    reminderClasses: new Set<string>(),
    /** Whether a fresh fact may go to webhooks: only then are subscriptions read. */
    tellWebhooks: false,
    /**
     * Societies the facts name. With the loaded classes' and payments' societies, every society a
     * webhook fact can belong to: a class or payment created in the batch names its society.
     */
    webhookSocieties: new Set<string>(),
  };
  const initiated = new Map<string, string>();
  for (const { type, data, event, fresh } of facts) {
    if (fresh && webhookTypeOf(type)) keys.tellWebhooks = true;
    const named = (event.data as { societyId?: unknown }).societyId;
    if (typeof named === 'string') keys.webhookSocieties.add(named);
    if (type === 'ClassRescheduled' || type === 'ClassCanceled' || type === 'BookingCanceled')
      keys.reminderClasses.add(data.classId);
    switch (type) {
      case 'SocietyRegistered':
      case 'SocietyDetailsChanged':
        keys.societies.add(data.societyId);
        break;
      case 'UserRegistered':
        keys.users.add(data.userId);
        break;
      case 'MemberOnboarded':
      case 'MemberProfileChanged':
      case 'MemberApproved':
      case 'MemberRejected':
        keys.members.add(data.memberId);
        break;
      case 'TrainerProfileCreated':
      case 'TrainerProfileUpdated':
        keys.trainers.add(data.trainerId);
        break;
      case 'ClassScheduled':
        keys.classes.add(data.classId);
        // Its trainer is the class's trainer for later facts of this batch, fresh or not.
        if (data.trainerId) keys.trainers.add(data.trainerId);
        if (fresh && new Date(data.startsAt).getTime() > event.createdAt.getTime())
          keys.societiesTold.add(data.societyId);
        break;
      case 'ClassDetailsChanged':
        keys.classes.add(data.classId);
        break;
      case 'TrainerAssignedToClass':
        keys.classes.add(data.classId);
        keys.trainers.add(data.trainerId);
        break;
      case 'ClassRescheduled':
      case 'ClassCanceled':
        keys.classes.add(data.classId);
        if (fresh) keys.classesTold.add(data.classId);
        break;
      case 'PaymentInitiated':
      case 'PaymentCompleted':
      case 'PaymentFailed':
        keys.payments.add(data.paymentId);
        if (type === 'PaymentInitiated') initiated.set(data.paymentId, data.memberId);
        else if (fresh) keys.paymentsTold.add(data.paymentId);
        break;
      case 'SubscriptionExpired':
      case 'SubscriptionExpiryNoticeGiven':
        if (!fresh) break;
        keys.members.add(data.memberId);
        keys.societies.add(data.societyId);
        break;
      case 'NotificationScheduled':
        keys.classes.add(data.classId);
        keys.members.add(data.memberId);
        break;
      case 'BookingConfirmed':
      case 'BookingWaitlisted':
      case 'BookingPromoted':
      case 'BookingCanceled':
        keys.seats.push([data.classId, data.memberId]);
        if (!fresh) break;
        keys.classes.add(data.classId);
        keys.members.add(data.memberId);
        break;
    }
  }
  // Rows this batch writes before a fresh fact reads them: they are looked up like loaded ones.
  for (const [classId, memberId] of keys.seats) if (keys.classesTold.has(classId)) keys.members.add(memberId);
  for (const [paymentId, memberId] of initiated)
    if (keys.paymentsTold.has(paymentId)) keys.members.add(memberId);
  return keys;
};
