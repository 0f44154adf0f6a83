import type { RecordedEvent } from '../../events/store/eventStore';
import { classMessage, type ClassFacts } from './notificationMessages';
import { DAY_MS, type FactOf } from './notificationFacts';
import { queue, type NotificationDraft, type OutboxChange, type Recipient } from './outbox';
import type { ClassRow, WorkingView } from './workingTables';

/** Class facts → notices to members and trainers, and what happens to reminders already queued. */

export const asFacts = (c: ClassRow): ClassFacts => ({
  name: c.name,
  startsAt: c.starts_at,
  timezone: c.timezone,
});

export const reminderTime = (startsAt: Date) => new Date(startsAt.getTime() - DAY_MS);

/** A class notice to each recipient, now. */
export const noticesAboutClass = (
  event: RecordedEvent,
  type: Parameters<typeof classMessage>[0],
  cls: ClassRow,
  recipients: readonly Recipient[],
  extra: { reason?: string } = {},
): NotificationDraft[] => {
  const message = classMessage(type, asFacts(cls), extra);
  return recipients.map((recipient) => ({
    type,
    recipient,
    classId: cls.id,
    societyId: cls.society_id,
    ...message,
    scheduledTime: event.createdAt,
    sourceEventId: event.id,
  }));
};

/** The society's approved members hear of a class still to come; its trainer of the assignment. */
export const classScheduledNotices = (
  { event, data: d, fresh }: FactOf<'ClassScheduled'>,
  view: WorkingView,
): OutboxChange[] => {
  if (!fresh || new Date(d.startsAt).getTime() <= event.createdAt.getTime()) return [];
  // The row, not the fact: a replayed fact meets the class as later facts left it.
  const cls = view.class(d.classId)!;
  const trainer = d.trainerId ? view.trainer(d.trainerId) : undefined;
  return [
    queue([
      ...noticesAboutClass(event, 'new_event', cls, view.approvedMembers(d.societyId)),
      ...(trainer ? noticesAboutClass(event, 'trainer_assignment', cls, [trainer]) : []),
    ]),
  ];
};

/** Reminders move with the class, stale fact or not; the class's people are told when it is fresh. */
export const classRescheduledChanges = (
  { event, data: d, fresh }: FactOf<'ClassRescheduled'>,
  view: WorkingView,
): OutboxChange[] => {
  const cls = view.class(d.classId);
  if (!cls) return [];
  const move: OutboxChange = {
    kind: 'moveReminders',
    classId: d.classId,
    scheduledTime: reminderTime(new Date(d.startsAt)),
    message: classMessage('reminder', asFacts(cls)),
  };
  if (!fresh) return [move];
  return [move, queue(noticesAboutClass(event, 'event_update', cls, peopleOf(cls, view)))];
};

export const trainerAssignedNotices = (
  { event, data: d, fresh }: FactOf<'TrainerAssignedToClass'>,
  view: WorkingView,
): OutboxChange[] => {
  const cls = view.class(d.classId);
  const trainer = view.trainer(d.trainerId);
  if (!fresh || !cls || !trainer) return [];
  return [queue(noticesAboutClass(event, 'trainer_assignment', cls, [trainer]))];
};

/** Every pending reminder of the class is canceled, stale fact or not. */
export const classCanceledChanges = (
  { event, data: d, fresh }: FactOf<'ClassCanceled'>,
  view: WorkingView,
): OutboxChange[] => {
  const cancel: OutboxChange = { kind: 'cancelReminders', classId: d.classId };
  const cls = view.class(d.classId);
  if (!fresh || !cls) return [cancel];
  return [
    cancel,
    queue(noticesAboutClass(event, 'cancellation', cls, peopleOf(cls, view), { reason: d.reason })),
  ];
};

/** An admin's hand-scheduled notice: queued whenever it was scheduled (it says when to send). */
export const scheduledNotice = (
  { event, data: d }: FactOf<'NotificationScheduled'>,
  view: WorkingView,
): OutboxChange[] => {
  const cls = view.class(d.classId);
  const member = view.member(d.memberId);
  if (!cls || !member) return [];
  return [
    queue([
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
    ]),
  ];
};

/** Members holding a seat, and the trainer. */
const peopleOf = (cls: ClassRow, view: WorkingView): Recipient[] => {
  const members = view.bookedMembers(cls.id);
  const trainer = cls.trainer_id ? view.trainer(cls.trainer_id) : undefined;
  return trainer ? [...members, trainer] : members;
};
