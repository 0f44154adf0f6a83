import { templateChanges } from '../../../src/api/schedules/templateChanges';

const at = (hh: number, mm = 0) => hh * 60 + mm;
// A template from 09:00 to 10:00.
const current = { start_minute: at(9), end_minute: at(10) };

describe('templateChanges (PATCH of a schedule template)', () => {
  it('moves the end with a new start, keeping the template’s length', () => {
    expect(templateChanges(current, { start_time: at(18) })).toMatchObject({ start: at(18), end: at(19) });
  });

  it('moves the end with a new length, keeping the template’s start', () => {
    expect(templateChanges(current, { duration_minutes: 90 })).toMatchObject({
      start: at(9),
      end: at(10, 30),
    });
  });

  it('leaves the times alone when the change names neither', () => {
    const changes = templateChanges(current, { name: 'Evening flow', max_members: 12 });
    expect(changes).toMatchObject({ name: 'Evening flow', maxMembers: 12 });
    expect(changes.start).toBeUndefined();
    expect(changes.end).toBeUndefined();
  });

  it('passes a cleared preferred trainer on as null, an unnamed one as no change', () => {
    expect(templateChanges(current, { preferred_trainer_id: null }).preferredTrainerId).toBeNull();
    expect(templateChanges(current, { name: 'x' }).preferredTrainerId).toBeUndefined();
  });

  it('refuses a change that makes the class end after midnight, with a 400 a person can act on', () => {
    const refused = () => templateChanges(current, { start_time: at(23, 30) });
    expect(refused).toThrow(
      expect.objectContaining({
        status: 400,
        slug: 'invalid-class-times',
        detail: 'The class ends by midnight.',
      }),
    );
    // Ending exactly at midnight is within the day.
    expect(templateChanges(current, { start_time: at(23) })).toMatchObject({ start: at(23), end: 1440 });
  });
});
