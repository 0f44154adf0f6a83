import { randomUUID } from 'node:crypto';
import { streams } from '../../../src/events/streams';
import type { Class, SocietySim } from './simulation';

/** An admin-scheduled reminder for a class someone holds a seat in. */

export const scheduleNotification = (society: SocietySim, classes: readonly Class[]): void => {
  const cls = classes.find((c) => !c.canceled && c.bookings.some((b) => b.status === 'confirmed'));
  const booking = cls?.bookings.find((b) => b.status === 'confirmed');
  if (!cls || !booking) return;
  const notificationId = randomUUID();
  society.append(
    streams.notification(notificationId),
    [
      {
        type: 'NotificationScheduled',
        data: {
          notificationId,
          memberId: booking.memberId,
          classId: cls.id,
          notificationType: 'reminder',
          scheduledTime: new Date(Date.parse(cls.startsAt) - 3 * 60 * 60_000).toISOString(),
          scheduledBy: society.admins[1]!,
        },
      },
    ],
    society.admins[1]!,
  );
};
