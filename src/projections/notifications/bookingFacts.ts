import type { RecordedEvent } from '../../events/store/eventStore';
import { classMessage } from './notificationMessages';
import type { FactOf } from './notificationFacts';
import { queue, type OutboxChange } from './outbox';
import { asFacts, noticesAboutClass, reminderTime } from './classNotices';
import type { WorkingView } from './workingTables';

type BookingFact = FactOf<'BookingConfirmed' | 'BookingWaitlisted' | 'BookingPromoted' | 'BookingCanceled'>;

/** Booking facts (recorded in `class-<id>`) → confirmation, promotion, cancellation and reminder notices. */
export const bookingChanges = (fact: BookingFact, view: WorkingView): OutboxChange[] => {
  switch (fact.type) {
    case 'BookingConfirmed':
      return seatConfirmed(fact.event, fact.fresh, fact.data, view, 'booking_confirmation');
    case 'BookingPromoted':
      return seatConfirmed(fact.event, fact.fresh, fact.data, view, 'waitlist_promotion');
    case 'BookingWaitlisted':
      return [];
    case 'BookingCanceled': {
      const { event, data: d, fresh } = fact;
      const cancel: OutboxChange = { kind: 'cancelReminders', classId: d.classId, memberId: d.memberId };
      // The class's own cancellation already told everyone holding a seat; say it once.
      if (!fresh || d.reason === 'class-canceled') return [cancel];
      const cls = view.class(d.classId);
      const member = view.member(d.memberId);
      if (!cls || !member) return [cancel];
      return [cancel, queue(noticesAboutClass(event, 'cancellation', cls, [member]))];
    }
  }
};

/** A confirmed seat: confirmation (or promotion) now, and a reminder 24 h before the class. */
const seatConfirmed = (
  event: RecordedEvent,
  fresh: boolean,
  seat: { classId: string; memberId: string },
  view: WorkingView,
  type: 'booking_confirmation' | 'waitlist_promotion',
): OutboxChange[] => {
  if (!fresh) return [];
  const cls = view.class(seat.classId);
  const member = view.member(seat.memberId);
  if (!cls || !member) return [];
  const remindAt = reminderTime(new Date(cls.starts_at));
  return [
    queue([
      ...noticesAboutClass(event, type, cls, [member]),
      // Booked less than a day ahead: the confirmation is the reminder.
      ...(remindAt.getTime() > event.createdAt.getTime()
        ? [
            {
              type: 'reminder' as const,
              recipient: member,
              classId: seat.classId,
              societyId: cls.society_id,
              ...classMessage('reminder', asFacts(cls)),
              scheduledTime: remindAt,
              sourceEventId: event.id,
            },
          ]
        : []),
    ]),
  ];
};
