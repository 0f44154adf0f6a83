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
 * One formatter per time zone, kept: building an Intl.DateTimeFormat costs about as much as a
 * database round trip (it loads ICU data), and was most of the booking bench's CPU when every
 * notice built its own.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hour12: true,
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** "Mon, 1 Dec 2025, 10:00 AM (Asia/Kolkata)": the class's local time, as the member lives it. */
export const formatLocalTime = (instant: string | Date, timezone: string): string => {
  const formatted = formatterFor(timezone).format(new Date(instant));
  return `${formatted.replace(/\bam\b/, 'AM').replace(/\bpm\b/, 'PM')} (${timezone})`;
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
