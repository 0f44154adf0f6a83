import { classMessage, formatLocalTime } from '../../../src/projections/notifications/notificationMessages';

describe('a class notice says when, on the society’s wall clock', () => {
  it('in the society’s zone, with its name', () =>
    expect(formatLocalTime('2030-03-04T04:30:00.000Z', 'Asia/Kolkata')).toBe(
      'Mon, 4 Mar 2030, 10:00 AM (Asia/Kolkata)',
    ));

  it('across a change of daylight saving time', () => {
    expect(formatLocalTime('2026-03-07T23:00:00.000Z', 'America/New_York')).toBe(
      'Sat, 7 Mar 2026, 6:00 PM (America/New_York)',
    );
    expect(formatLocalTime('2026-03-08T22:00:00.000Z', 'America/New_York')).toBe(
      'Sun, 8 Mar 2026, 6:00 PM (America/New_York)',
    );
  });

  it('a class in the hour after midnight reads 12:30 AM, not 0:30 AM', () =>
    expect(formatLocalTime(new Date('2030-03-03T19:00:00.000Z'), 'Asia/Kolkata')).toBe(
      'Mon, 4 Mar 2030, 12:30 AM (Asia/Kolkata)',
    ));

  it('in a booking confirmation', () =>
    expect(
      classMessage('booking_confirmation', {
        name: 'Evening Zumba',
        startsAt: '2030-03-05T12:30:00.000Z',
        timezone: 'Asia/Kolkata',
      }).body,
    ).toBe('Your booking for Evening Zumba on Tue, 5 Mar 2030, 6:00 PM (Asia/Kolkata) is confirmed.'));
});
