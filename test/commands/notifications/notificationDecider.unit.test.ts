import { notificationDecider } from '../../../src/commands/notifications/notificationDecider';
import type { NotificationScheduled } from '../../../src/events/notifications/notificationEvents';
import { deciderSpec } from '../../support/deciderSpec';

// deciderSpec's clock reads 2026-03-01T10:00:00Z.
const data: NotificationScheduled['data'] = {
  notificationId: '11111111-1111-4111-8111-111111111111',
  memberId: '22222222-2222-4222-8222-222222222222',
  classId: '33333333-3333-4333-8333-333333333333',
  notificationType: 'reminder',
  scheduledTime: '2026-03-02T04:30:00.000Z',
  scheduledBy: '44444444-4444-4444-8444-444444444444',
};
const spec = deciderSpec(notificationDecider);

describe('scheduling a notification by hand', () => {
  it('records it for a time still to come', () => {
    spec
      .given([])
      .when({ type: 'ScheduleNotification', data })
      .then([{ type: 'NotificationScheduled', data }]);
  });

  it('refuses a time that has passed', () => {
    spec
      .given([])
      .when({ type: 'ScheduleNotification', data: { ...data, scheduledTime: '2026-03-01T09:00:00.000Z' } })
      .thenRefused('scheduled-time-in-past', 422);
  });

  it('refuses the same notification twice', () => {
    spec
      .given([{ type: 'NotificationScheduled', data }])
      .when({ type: 'ScheduleNotification', data })
      .thenRefused('notification-exists', 409);
  });
});
