import type { Knex } from 'knex';
import type { Weekday } from '../../events/trainers/trainerEvents';

export interface ScheduleTemplateRow {
  id: string;
  society_id: string;
  name: string;
  weekday: Weekday;
  start_minute: number;
  end_minute: number;
  class_type: string;
  max_members: number;
  preferred_trainer_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const findScheduleTemplate = (knex: Knex, id: string): Promise<ScheduleTemplateRow | undefined> =>
  knex<ScheduleTemplateRow>('schedule_templates').where({ id }).first();

/** A society's templates in week order (Monday first), then by start time. */
export const listScheduleTemplates = (knex: Knex, societyId: string): Promise<ScheduleTemplateRow[]> =>
  knex<ScheduleTemplateRow>('schedule_templates')
    .where({ society_id: societyId })
    .orderByRaw(
      "array_position(ARRAY['mon','tue','wed','thu','fri','sat','sun'], weekday), start_minute, id",
    );
