import type { ProjectionDefinition } from '../engine/projection';
import { trainerSlotClaimedSchema, trainerSlotReleasedSchema } from '../../events/trainers/trainerEvents';

/**
 * `trainer_day_slots`: the classes each trainer has claimed, per local date. `start_minute` and
 * `end_minute` are minutes since midnight, wall-clock local to the class's society. A released
 * claim is deleted (the history stays in the `trainer-day-*` streams).
 */
export const trainerDaySlotsProjection: ProjectionDefinition = {
  name: 'trainer_day_slots',
  version: 1,
  tables: {
    trainer_day_slots: (t) => {
      t.uuid('trainer_id').notNullable();
      t.date('date').notNullable();
      t.text('class_id').notNullable();
      t.text('society_id').notNullable();
      t.integer('start_minute').notNullable();
      t.integer('end_minute').notNullable();
      t.timestamp('claimed_at', { useTz: true }).notNullable();
      t.primary(['trainer_id', 'date', 'class_id']);
    },
  },
  handles: ['TrainerSlotClaimed', 'TrainerSlotReleased'],
  apply: async (event, { trx, table }) => {
    if (event.type === 'TrainerSlotClaimed') {
      const d = trainerSlotClaimedSchema.parse(event.data);
      await trx(table('trainer_day_slots'))
        .insert({
          trainer_id: d.trainerId,
          date: d.date,
          class_id: d.classId,
          society_id: d.societyId,
          start_minute: d.start,
          end_minute: d.end,
          claimed_at: event.createdAt,
        })
        .onConflict(['trainer_id', 'date', 'class_id'])
        .ignore();
      return;
    }
    const d = trainerSlotReleasedSchema.parse(event.data);
    await trx(table('trainer_day_slots'))
      .where({ trainer_id: d.trainerId, date: d.date, class_id: d.classId })
      .delete();
  },
};
