import { weekdayOf } from '../../../src/commands/trainers/availability';
import { checkTrainerFit } from '../../../src/commands/trainers/trainerFit';
import type { Availability } from '../../../src/events/trainers/trainerEvents';

const at = (hh: number, mm = 0) => hh * 60 + mm;
// 2026-03-02 is a Monday.
const monday = '2026-03-02';
const tuesday = '2026-03-03';

const availability: Availability = {
  weekly: [
    { weekday: 'mon', start: at(6), end: at(9) },
    { weekday: 'mon', start: at(17), end: at(19) },
  ],
  slots: [
    { date: tuesday, start: at(10), end: at(11) },
    { date: monday, start: at(9), end: at(10) },
  ],
  unavailable: ['2026-03-09'],
};
const yogaTrainer = { specialization: ['Yoga', 'Pilates'], availability };

const fit = (
  profile: Parameters<typeof checkTrainerFit>[0],
  classType: string,
  date: string,
  start: number,
  end: number,
) => {
  const result = checkTrainerFit(profile, { classType, date, start, end });
  return result === 'ok' ? 'ok' : result.type;
};

describe('checkTrainerFit', () => {
  it('accepts a class of their specialization inside a weekly window', () => {
    expect(fit(yogaTrainer, 'Yoga', monday, at(7), at(8))).toBe('ok');
  });

  it('matches the specialization case- and space-insensitively', () => {
    expect(fit(yogaTrainer, '  pilates ', monday, at(7), at(8))).toBe('ok');
  });

  it('refuses another kind of class: trainer-specialization-mismatch', () => {
    expect(fit(yogaTrainer, 'Zumba', monday, at(7), at(8))).toBe('trainer-specialization-mismatch');
  });

  it('refuses a class outside the weekly pattern: trainer-unavailable', () => {
    expect(fit(yogaTrainer, 'Yoga', monday, at(12), at(13))).toBe('trainer-unavailable');
    expect(fit(yogaTrainer, 'Yoga', monday, at(18), at(19, 30))).toBe('trainer-unavailable');
    // Wednesday has no window at all.
    expect(fit(yogaTrainer, 'Yoga', '2026-03-04', at(7), at(8))).toBe('trainer-unavailable');
  });

  it('accepts a class inside a dated slot', () => {
    expect(fit(yogaTrainer, 'Yoga', tuesday, at(10), at(11))).toBe('ok');
    expect(fit(yogaTrainer, 'Yoga', tuesday, at(10), at(11, 5))).toBe('trainer-unavailable');
  });

  it('joins a dated slot to a weekly window it touches', () => {
    // Monday 06–09 weekly plus 09–10 on this Monday: 08:30–09:30 fits.
    expect(fit(yogaTrainer, 'Yoga', monday, at(8, 30), at(9, 30))).toBe('ok');
    // The next Monday has no 09–10 slot.
    expect(
      fit(
        { ...yogaTrainer, availability: { ...availability, unavailable: [] } },
        'Yoga',
        '2026-03-09',
        at(8, 30),
        at(9, 30),
      ),
    ).toBe('trainer-unavailable');
  });

  it('refuses any class on an unavailable date, whatever the pattern says', () => {
    expect(fit(yogaTrainer, 'Yoga', '2026-03-09', at(7), at(8))).toBe('trainer-unavailable');
  });

  it('does not restrict a trainer who has never set availability', () => {
    expect(fit({ specialization: ['yoga'], availability: null }, 'Yoga', monday, at(22), at(23))).toBe('ok');
  });

  it('knows the weekday of a date', () => {
    expect([monday, tuesday, '2026-03-08', '2024-02-29'].map(weekdayOf)).toEqual([
      'mon',
      'tue',
      'sun',
      'thu',
    ]);
  });
});
