import type { NotificationEvent, NotificationScheduled } from '../../events/notifications/notificationEvents';
import { refuse, type Decider } from '../handling/decider';

export interface ScheduleNotification {
  readonly type: 'ScheduleNotification';
  readonly data: NotificationScheduled['data'];
}

export type NotificationState = { readonly scheduled: false } | { readonly scheduled: true };

/**
 * `notification-<id>`: a notice an admin scheduled by hand. The member and class are checked at
 * the edge (they live in other streams); here, only that the id is new and the time is not past
 * — a notice for the past would go out at once and mislead.
 */
export const notificationDecider: Decider<NotificationState, ScheduleNotification, NotificationEvent> = {
  initialState: () => ({ scheduled: false }),
  evolve: (_state, event) => (event.type === 'NotificationScheduled' ? { scheduled: true } : _state),
  decide: (command, state, ctx) => {
    if (state.scheduled) {
      return refuse('notification-exists', 409, 'This notification is already scheduled');
    }
    if (new Date(command.data.scheduledTime).getTime() < ctx.now.getTime() - 60_000) {
      return refuse(
        'scheduled-time-in-past',
        422,
        'The scheduled time has passed',
        `scheduled_time ${command.data.scheduledTime} is before now (${ctx.now.toISOString()}).`,
      );
    }
    return [{ type: 'NotificationScheduled', data: command.data }];
  },
};
