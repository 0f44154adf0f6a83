import {
  afterFailure,
  DEFAULT_PREFERENCES,
  planDeliveries,
  quietHoursEnd,
} from '../../../src/commands/notifications/deliveryPlan';

const member = {
  type: 'booking_confirmation' as const,
  userId: 'u1',
  email: 'a@example.com',
  phoneNumber: '+919800000000',
};
// 2026-03-01T17:00Z is 22:30 in Asia/Kolkata (UTC+05:30).
const lateEvening = new Date('2026-03-01T17:00:00Z');
const nightQuiet = { start: 22 * 60, end: 7 * 60, timezone: 'Asia/Kolkata' };

describe('which channels a notification goes out on', () => {
  it('by default: in-app and email, not SMS', () => {
    expect(planDeliveries(member, DEFAULT_PREFERENCES, lateEvening).map((d) => d.channel)).toEqual([
      'in_app',
      'email',
    ]);
  });

  it('follows the person’s choices', () => {
    const prefs = { ...DEFAULT_PREFERENCES, email: false, sms: true };
    expect(planDeliveries(member, prefs, lateEvening).map((d) => d.channel)).toEqual(['in_app', 'sms']);
  });

  it('holds email and SMS until quiet hours end, never the in-app copy', () => {
    const prefs = { ...DEFAULT_PREFERENCES, sms: true, quietHours: nightQuiet };
    const plan = planDeliveries(member, prefs, lateEvening);
    const sevenAmKolkata = new Date('2026-03-02T01:30:00Z');
    expect(plan).toEqual([
      { channel: 'in_app', notBefore: lateEvening },
      { channel: 'email', notBefore: sevenAmKolkata },
      { channel: 'sms', notBefore: sevenAmKolkata },
    ]);
  });

  it('sends a phone verification code by SMS whatever the preferences', () => {
    const prefs = { ...DEFAULT_PREFERENCES, sms: false, quietHours: nightQuiet };
    expect(planDeliveries({ ...member, type: 'phone_verification' }, prefs, lateEvening)).toEqual([
      { channel: 'sms', notBefore: lateEvening },
    ]);
  });

  it('keeps the in-app copy for someone who turned every channel off, and nothing for no one', () => {
    const off = { email: false, sms: false, inApp: false, quietHours: null };
    expect(planDeliveries(member, off, lateEvening).map((d) => d.channel)).toEqual(['in_app']);
    expect(
      planDeliveries({ ...member, userId: null, email: null, phoneNumber: null }, off, lateEvening),
    ).toEqual([]);
  });
});

describe('quiet hours', () => {
  it('are outside the window during the day', () => {
    expect(quietHoursEnd(new Date('2026-03-01T06:30:00Z'), nightQuiet)).toBeUndefined(); // 12:00 local
  });

  it('wrap midnight: just after midnight ends at 07:00 the same morning', () => {
    expect(quietHoursEnd(new Date('2026-03-01T19:00:00Z'), nightQuiet)).toEqual(
      new Date('2026-03-02T01:30:00Z'),
    );
  });

  it('a daytime window (13:00–15:00) holds only inside it', () => {
    const siesta = { start: 13 * 60, end: 15 * 60, timezone: 'UTC' };
    expect(quietHoursEnd(new Date('2026-03-01T14:15:00Z'), siesta)).toEqual(new Date('2026-03-01T15:00:00Z'));
    expect(quietHoursEnd(new Date('2026-03-01T15:00:00Z'), siesta)).toBeUndefined();
  });
});

describe('after a failed attempt', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  it('retries after 1×, then 2× the base delay, and gives up at the 3rd attempt', () => {
    expect(afterFailure(1, now, 60_000)).toEqual({
      giveUp: false,
      retryAt: new Date('2026-03-01T10:01:00Z'),
    });
    expect(afterFailure(2, now, 60_000)).toEqual({
      giveUp: false,
      retryAt: new Date('2026-03-01T10:02:00Z'),
    });
    expect(afterFailure(3, now, 60_000)).toEqual({ giveUp: true });
  });
});
