import type { NotificationScheduled } from '../../events/notifications/notificationEvents';
import { streams } from '../../events/streams';
import type { CommandHandler, CommandMetadata } from '../handling/commandHandler';
import { notificationDecider } from './notificationDecider';

export const scheduleNotification = (
  commands: CommandHandler,
  data: NotificationScheduled['data'],
  metadata: CommandMetadata,
) =>
  commands.handle(
    streams.notification(data.notificationId),
    notificationDecider,
    { type: 'ScheduleNotification', data },
    metadata,
  );
