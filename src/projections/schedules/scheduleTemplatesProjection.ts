import type { z } from 'zod';
import { changed } from '../engine/changes';
import type { ScheduleTemplateRow } from './scheduleTemplateQueries';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionDefinition } from '../engine/projection';
import { RowCache } from '../engine/rowCache';
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
  applyBatch: async (events, { trx, table }) => {
    const templates = new RowCache<ScheduleTemplateRow>(trx, table('schedule_templates'), ['id']);
    const facts = events.map(templateFact);
    await templates.load(facts.map((f) => f.data.templateId));
    for (const fact of facts) {
      const id = fact.data.templateId;
      const next = evolveTemplate(templates.get(id), fact);
      if (next === null) templates.delete(id);
      else if (next) templates.put(next);
    }
    await templates.flush();
  },
};

type TemplateFact = { event: RecordedEvent } & (
  | { kind: 'added'; data: z.infer<typeof scheduleTemplateAddedSchema> }
  | { kind: 'changed'; data: z.infer<typeof scheduleTemplateChangedSchema> }
  | { kind: 'removed'; data: z.infer<typeof scheduleTemplateRemovedSchema> }
);

const templateFact = (event: RecordedEvent): TemplateFact => {
  switch (event.type) {
    case 'ScheduleTemplateAdded':
      return { kind: 'added', data: scheduleTemplateAddedSchema.parse(event.data), event };
    case 'ScheduleTemplateChanged':
      return { kind: 'changed', data: scheduleTemplateChangedSchema.parse(event.data), event };
    default:
      return { kind: 'removed', data: scheduleTemplateRemovedSchema.parse(event.data), event };
  }
};

/**
 * The template's row after one fact: the new row, null to delete it, undefined to leave it as it
 * is. A change at or below the row's version was applied already (a replay), so it must not roll
 * the row back.
 */
export const evolveTemplate = (
  row: ScheduleTemplateRow | undefined,
  fact: TemplateFact,
): ScheduleTemplateRow | null | undefined => {
  const { event } = fact;
  switch (fact.kind) {
    case 'added': {
      if (row) return undefined;
      const d = fact.data;
      return {
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
      };
    }
    case 'changed': {
      if (!row || row.version >= event.revision) return undefined;
      const { changes } = fact.data;
      return {
        ...row,
        name: changed(changes.name, row.name),
        weekday: changed(changes.weekday, row.weekday),
        start_minute: changed(changes.start, row.start_minute),
        end_minute: changed(changes.end, row.end_minute),
        class_type: changed(changes.classType, row.class_type),
        max_members: changed(changes.maxMembers, row.max_members),
        preferred_trainer_id: changed(changes.preferredTrainerId, row.preferred_trainer_id),
        version: event.revision,
        updated_at: event.createdAt,
      };
    }
    case 'removed':
      // Removal carries no guard, as before: a replay re-adds then removes it again.
      return row ? null : undefined;
  }
};
