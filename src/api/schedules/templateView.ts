import { formatMinute } from '../../commands/trainers/availability';
import type { ScheduleTemplateRow } from '../../projections/schedules/scheduleTemplateQueries';
import { HttpProblem } from '../http/errorHandler';

/** A schedule template as the API shows it: clock times, and its length in minutes. */
export const toTemplate = (row: ScheduleTemplateRow) => ({
  id: row.id,
  society_id: row.society_id,
  name: row.name,
  weekday: row.weekday,
  start_time: formatMinute(row.start_minute),
  end_time: formatMinute(row.end_minute),
  duration_minutes: row.end_minute - row.start_minute,
  class_type: row.class_type,
  max_members: row.max_members,
  preferred_trainer_id: row.preferred_trainer_id,
  version: row.version,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export const templateNotFound = (id: string) =>
  new HttpProblem(404, 'schedule-template-not-found', 'Schedule template not found', `No template ${id}`);
