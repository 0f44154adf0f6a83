import type { ProjectionDefinition } from '../engine/projection';
import {
  trainerAvailabilitySetSchema,
  trainerProfileCreatedSchema,
  trainerProfileUpdatedSchema,
} from '../../events/trainers/trainerEvents';

/**
 * `trainers`: one row per trainer profile. `specialization` is a JSON array of strings,
 * `location` `{address, latitude, longitude}`, `availability` `{weekly, slots, unavailable}`
 * with times in minutes since midnight local to the society of the class (null until set);
 * `version` is the trainer stream's revision (the ETag of GET /trainers/{id}).
 */
export const trainersProjection: ProjectionDefinition = {
  name: 'trainers',
  version: 1,
  tables: {
    trainers: (t) => {
      t.uuid('id').primary();
      t.text('name').notNullable();
      t.text('email').notNullable();
      t.text('phone_number');
      t.jsonb('specialization').notNullable();
      t.jsonb('location').notNullable();
      t.integer('max_classes_per_day').notNullable();
      t.jsonb('availability');
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.index(['created_at', 'id']);
    },
  },
  handles: ['TrainerProfileCreated', 'TrainerProfileUpdated', 'TrainerAvailabilitySet'],
  apply: async (event, { trx, table }) => {
    switch (event.type) {
      case 'TrainerProfileCreated': {
        const d = trainerProfileCreatedSchema.parse(event.data);
        await trx(table('trainers'))
          .insert({
            id: d.trainerId,
            name: d.name,
            email: d.email,
            phone_number: d.phoneNumber,
            specialization: JSON.stringify(d.specialization),
            location: JSON.stringify(d.location),
            max_classes_per_day: d.maxClassesPerDay,
            availability: null,
            version: event.revision,
            created_at: event.createdAt,
            updated_at: event.createdAt,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'TrainerProfileUpdated': {
        const { trainerId, changes } = trainerProfileUpdatedSchema.parse(event.data);
        const columns = {
          name: changes.name,
          email: changes.email,
          phone_number: changes.phoneNumber,
          specialization: changes.specialization && JSON.stringify(changes.specialization),
          location: changes.location && JSON.stringify(changes.location),
          max_classes_per_day: changes.maxClassesPerDay,
        };
        await trx(table('trainers'))
          .where({ id: trainerId })
          // Replaying an older event must not roll a row back.
          .andWhere('version', '<', event.revision)
          .update({
            ...Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)),
            version: event.revision,
            updated_at: event.createdAt,
          });
        return;
      }
      case 'TrainerAvailabilitySet': {
        const { trainerId, availability } = trainerAvailabilitySetSchema.parse(event.data);
        await trx(table('trainers'))
          .where({ id: trainerId })
          .andWhere('version', '<', event.revision)
          .update({
            availability: JSON.stringify(availability),
            version: event.revision,
            updated_at: event.createdAt,
          });
        return;
      }
    }
  },
};
