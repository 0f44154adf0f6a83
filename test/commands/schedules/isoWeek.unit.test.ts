import { addDays, datesOfIsoWeek, isIsoWeek, isoWeekOf } from '../../../src/commands/schedules/isoWeek';

describe('ISO weeks', () => {
  it('runs Monday to Sunday, week 1 holding the year’s first Thursday', () => {
    expect(datesOfIsoWeek('2026-W01')).toEqual([
      '2025-12-29',
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
    ]);
    expect(datesOfIsoWeek('2030-W10')[0]).toBe('2030-03-04');
  });

  it('knows which years have a 53rd week', () => {
    expect(isIsoWeek('2026-W53')).toBe(true);
    expect(isIsoWeek('2025-W53')).toBe(false);
    expect(isIsoWeek('2026-W00')).toBe(false);
    expect(isIsoWeek('2026-49')).toBe(false);
  });

  it('finds the week of a date, across year ends', () => {
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(isoWeekOf('2030-03-10')).toBe('2030-W10');
    expect(isoWeekOf(addDays('2030-03-10', 1))).toBe('2030-W11');
  });

  it('round-trips every week of a decade', () => {
    for (let year = 2025; year < 2035; year++)
      for (let w = 1; w <= 53; w++) {
        const week = `${year}-W${String(w).padStart(2, '0')}`;
        if (!isIsoWeek(week)) continue;
        for (const date of datesOfIsoWeek(week)) expect(isoWeekOf(date)).toBe(week);
      }
  });
});
