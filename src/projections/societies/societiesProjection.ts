import type { ProjectionDefinition } from '../engine/projection';
import { societyDetailsChangedSchema, societyRegisteredSchema } from '../../events/societies/societyEvents';

/**
 * `societies`: one row per society, as listed by GET /societies. Analysts: `revenue_details` is
 * the society's completed payments minus refunds (filled by the billing projection), in
 * `currency`; `version` is the society stream's revision (the ETag of GET /societies/{id}).
 */
export const societiesProjection: ProjectionDefinition = {
  name: 'societies',
  version: 1,
  tables: {
    societies: (t) => {
      t.uuid('id').primary();
      t.text('name').notNullable();
      t.text('location').notNullable();
      t.integer('max_members_per_event').notNullable();
      t.integer('capacity').notNullable();
      t.decimal('revenue_details', 12, 2).notNullable().defaultTo(0);
      t.text('currency').notNullable().defaultTo('INR');
      t.text('timezone').notNullable();
      t.double('latitude');
      t.double('longitude');
      t.uuid('created_by');
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.index(['name']);
      t.index(['created_at', 'id']);
    },
  },
  handles: ['SocietyRegistered', 'SocietyDetailsChanged'],
  apply: async (event, { trx, table }) => {
    switch (event.type) {
      case 'SocietyRegistered': {
        const data = societyRegisteredSchema.parse(event.data);
        await trx(table('societies'))
          .insert({
            id: data.societyId,
            name: data.name,
            location: data.location,
            max_members_per_event: data.maxMembersPerEvent,
            capacity: data.capacity,
            timezone: data.timezone,
            latitude: data.latitude,
            longitude: data.longitude,
            created_by: data.registeredBy,
            version: event.revision,
            created_at: event.createdAt,
            updated_at: event.createdAt,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'SocietyDetailsChanged': {
        const { societyId, changes } = societyDetailsChangedSchema.parse(event.data);
        const columns = {
          name: changes.name,
          location: changes.location,
          max_members_per_event: changes.maxMembersPerEvent,
          capacity: changes.capacity,
          timezone: changes.timezone,
          latitude: changes.latitude,
          longitude: changes.longitude,
        };
        await trx(table('societies'))
          .where({ id: societyId })
          // Replaying an older event must not roll a row back.
          .andWhere('version', '<', event.revision)
          .update({
            ...Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)),
            version: event.revision,
            updated_at: event.createdAt,
          });
        return;
      }
    }
  },
};
