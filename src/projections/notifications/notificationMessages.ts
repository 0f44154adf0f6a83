import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import { assertKnownZone } from '../../events/zonedTime';
import type { NotificationType } from '../../events/notifications/notificationEvents';

/** What a class notice needs to say: its name and when, on the society's wall clock. */
export interface ClassFacts {
  readonly name: string;
  readonly startsAt: string | Date;
  readonly timezone: string;
}

export interface Message {
  readonly subject: string;
  readonly body: string;
}

/**
 * "Mon, 1 Dec 2025, 10:00 AM (Asia/Kolkata)": the class's local time, as the member lives it.
 * date-fns spells it, not the runtime's ICU data (en-GB there wrote "0:30 am" for the hour after
 * midnight, and "Sept" or "Sep" depending on the ICU version).
 */
export const formatLocalTime = (instant: string | Date, timezone: string): string => {
  assertKnownZone(timezone);
  return `${format(new Date(instant), 'EEE, d MMM yyyy, h:mm a', { in: tz(timezone) })} (${timezone})`;
};

const when = (c: ClassFacts) => formatLocalTime(c.startsAt, c.timezone);

/** Subject and text of a notice about a class. */
export const classMessage = (
  type: NotificationType,
  c: ClassFacts,
  extra: { reason?: string } = {},
): Message => {
  switch (type) {
    case 'booking_confirmation':
      return { subject: `Booked: ${c.name}`, body: `Your booking for ${c.name} on ${when(c)} is confirmed.` };
    case 'waitlist_promotion':
      return {
        subject: `A seat opened: ${c.name}`,
        body: `A seat opened up and your waitlisted booking for ${c.name} on ${when(c)} is now confirmed.`,
      };
    case 'cancellation':
      return {
        subject: `Canceled: ${c.name}`,
        body: `Your booking for ${c.name} on ${when(c)} has been canceled${extra.reason ? `: ${extra.reason}` : '.'}`,
      };
    case 'reminder':
      return {
        subject: `Reminder: ${c.name} tomorrow`,
        body: `Reminder: your ${c.name} class is on ${when(c)}.`,
      };
    case 'new_event':
      return { subject: `New class: ${c.name}`, body: `New class available: ${c.name} on ${when(c)}.` };
    case 'trainer_assignment':
      return {
        subject: `You are teaching ${c.name}`,
        body: `You have been assigned to teach ${c.name} on ${when(c)}.`,
      };
    case 'event_update':
      return { subject: `Changed: ${c.name}`, body: `${c.name} has moved to ${when(c)}.` };
    default:
      return { subject: c.name, body: `${c.name} on ${when(c)}.` };
  }
};
