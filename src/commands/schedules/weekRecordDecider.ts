import type { Decider } from '../handling/decider';
import type { WeekScheduleEvent, WeekScheduleGenerated } from '../../events/schedules/weekScheduleEvents';

export type WeekRecordCommand = { type: 'RecordWeekGenerated' } & WeekScheduleGenerated['data'];

export interface WeekRecordState {
  readonly generated: boolean;
  readonly classIds: ReadonlySet<string>;
}

/**
 * `schedule-week-<society>-<week>`: a week counts as generated once a run has recorded it, so
 * the Sunday job does not run again for it. A later run that created nothing new adds nothing.
 */
export const weekRecordDecider: Decider<WeekRecordState, WeekRecordCommand, WeekScheduleEvent> = {
  initialState: () => ({ generated: false, classIds: new Set() }),
  evolve: (state, event) => ({
    generated: true,
    classIds: new Set([...state.classIds, ...event.data.classIds]),
  }),
  decide: (command, state) => {
    const { type: _t, ...data } = command;
    if (state.generated && data.classIds.every((id) => state.classIds.has(id))) return [];
    return [{ type: 'WeekScheduleGenerated', data }];
  },
};
