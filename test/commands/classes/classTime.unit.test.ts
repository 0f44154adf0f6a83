import { localDateOf, localToInstant, parseClockTime } from '../../../src/events/classes/classTime';
import { classProgress } from '../../../src/projections/classes/classProgress';

describe('parseClockTime', () => {
  it.each([
    ['09:00', 540],
    ['9:05', 545],
    ['10:00 AM', 600],
    ['12:30 AM', 30],
    ['12:30 PM', 750],
    ['2:00 pm', 840],
    ['24:00', 1440],
  ])('%s → %i', (text, minutes) => expect(parseClockTime(text)).toBe(minutes));
  it.each(['13:00 PM', '0:00 AM', '25:00', '9', '09:60', 'noon'])('refuses %s', (text) =>
    expect(parseClockTime(text)).toBeNull(),
  );
});

describe('localToInstant (society time zones)', () => {
  it('Asia/Kolkata is UTC+05:30', () =>
    expect(localToInstant('2026-03-02', 600, 'Asia/Kolkata').toISOString()).toBe('2026-03-02T04:30:00.000Z'));
  it('follows daylight saving time', () => {
    expect(localToInstant('2026-01-15', 600, 'Europe/London').toISOString()).toBe('2026-01-15T10:00:00.000Z');
    expect(localToInstant('2026-07-15', 600, 'Europe/London').toISOString()).toBe('2026-07-15T09:00:00.000Z');
  });
  it('a wall time inside the spring-forward gap lands after the jump', () =>
    expect(localToInstant('2026-03-08', 150, 'America/New_York').toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    ));
  it('an ambiguous fall-back time is the earlier one', () =>
    expect(localToInstant('2026-11-01', 90, 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    ));
  it('east of UTC too, a spring-forward gap lands after the jump (01:30 → 02:30 BST)', () =>
    expect(localToInstant('2026-03-29', 90, 'Europe/London').toISOString()).toBe('2026-03-29T01:30:00.000Z'));
  it('the local date of an instant', () =>
    expect(localDateOf(new Date('2026-03-01T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-02'));
});

describe('classProgress', () => {
  const startsAt = new Date('2026-03-02T04:30:00Z');
  const endsAt = new Date('2026-03-02T05:30:00Z');
  const activities = [
    { id: 'b', order: 2, name: 'Poses', duration_minutes: 30, tracks: ['yoga.mp3'] },
    { id: 'a', order: 1, name: 'Warm-up', duration_minutes: 15, tracks: ['warm.mp3'] },
  ];
  const at = (iso: string) => classProgress({ canceled: false, startsAt, endsAt, activities }, new Date(iso));
  it('before the start: minutes to start', () =>
    expect(at('2026-03-02T04:00:00Z')).toEqual({ state: 'not_started', minutes_to_start: 30 }));
  it('in the first activity', () =>
    expect(at('2026-03-02T04:40:00Z')).toMatchObject({
      state: 'running',
      activity: { id: 'a', tracks: ['warm.mp3'], minutes_left: 5 },
    }));
  it('in the second activity', () =>
    expect(at('2026-03-02T04:45:00Z')).toMatchObject({ activity: { id: 'b', minutes_left: 30 } }));
  it('after the planned activities, before the end', () =>
    expect(at('2026-03-02T05:20:00Z')).toMatchObject({
      state: 'running',
      activity: null,
      minutes_left_in_class: 10,
    }));
  it('after the end', () => expect(at('2026-03-02T05:30:00Z')).toEqual({ state: 'finished' }));
  it('canceled', () =>
    expect(classProgress({ canceled: true, startsAt, endsAt, activities }, startsAt)).toEqual({
      state: 'canceled',
    }));
});
