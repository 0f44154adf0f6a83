import type { ProjectionDefinition } from '../engine/projection';
import {
  scheduleTemplateAddedSchema,
  scheduleTemplateChangedSchema,
  scheduleTemplateRemovedSchema,
} from '../../events/schedules/scheduleTemplateEvents';

/**
 * `schedule_templates`: each society's live weekly templates. `weekday` is mon…sun,
 * `start_minute`/`end_minute` minutes since midnight local to the society; `version` is the
 * society's template stream revision at the row's last change. A removed template's row is
 * deleted (the history stays in `schedule-templates-<society>`).
 */
export const scheduleTemplatesProjection: ProjectionDefinition = {
  name: 'schedule_templates',
  version: 1,
  tables: {
    schedule_templates: (t) => {
      t.uuid('id').primary();
      t.uuid('society_id').notNullable();
      t.text('name').notNullable();
      t.text('weekday').notNullable();
      t.integer('start_minute').notNullable();
      t.integer('end_minute').notNullable();
      t.text('class_type').notNullable();
      t.integer('max_members').notNullable();
      t.uuid('preferred_trainer_id');
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.index(['society_id', 'weekday', 'start_minute']);
    },
  },
  handles: ['ScheduleTemplateAdded', 'ScheduleTemplateChanged', 'ScheduleTemplateRemoved'],
  apply: async (event, { trx, table }) => {
    switch (event.type) {
      case 'ScheduleTemplateAdded': {
        const d = scheduleTemplateAddedSchema.parse(event.data);
        await trx(table('schedule_templates'))
          .insert({
            id: d.templateId,
            society_id: d.societyId,
            name: d.name,
            weekday: d.weekday,
            start_minute: d.start,
            end_minute: d.end,
            class_type: d.classType,
            max_members: d.maxMembers,
            preferred_trainer_id: d.preferredTrainerId,
            version: event.revision,
            created_at: event.createdAt,
            updated_at: event.createdAt,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'ScheduleTemplateChanged': {
        const { templateId, changes } = scheduleTemplateChangedSchema.parse(event.data);
        const columns = {
          name: changes.name,
          weekday: changes.weekday,
          start_minute: changes.start,
          end_minute: changes.end,
          class_type: changes.classType,
          max_members: changes.maxMembers,
          preferred_trainer_id: changes.preferredTrainerId,
        };
        // The version guard makes a replayed change a no-op.
        await trx(table('schedule_templates'))
          .where({ id: templateId })
          .andWhere('version', '<', event.revision)
          .update({
            ...Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)),
            version: event.revision,
            updated_at: event.createdAt,
          });
        return;
      }
      case 'ScheduleTemplateRemoved': {
        const { templateId } = scheduleTemplateRemovedSchema.parse(event.data);
        await trx(table('schedule_templates')).where({ id: templateId }).delete();
        return;
      }
    }
  },
};
