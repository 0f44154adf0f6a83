import type { ProjectionDefinition } from '../engine/projection';
import { societyAdminGrantedSchema, societyRegisteredSchema } from '../../events/societies/societyEvents';

/** `society_admins`: who administers which society (the creator, and anyone granted). */
export const societyAdminsProjection: ProjectionDefinition = {
  name: 'society_admins',
  version: 1,
  tables: {
    society_admins: (t) => {
      t.uuid('society_id').notNullable();
      t.uuid('user_id').notNullable();
      t.uuid('granted_by');
      t.timestamp('granted_at', { useTz: true }).notNullable();
      t.primary(['society_id', 'user_id']);
      t.index(['user_id']);
    },
  },
  handles: ['SocietyRegistered', 'SocietyAdminGranted'],
  apply: async (event, { trx, table }) => {
    const row =
      event.type === 'SocietyRegistered'
        ? (() => {
            const d = societyRegisteredSchema.parse(event.data);
            return d.registeredBy
              ? { society_id: d.societyId, user_id: d.registeredBy, granted_by: null }
              : undefined;
          })()
        : (() => {
            const d = societyAdminGrantedSchema.parse(event.data);
            return { society_id: d.societyId, user_id: d.userId, granted_by: d.grantedBy };
          })();
    if (!row) return;
    await trx(table('society_admins'))
      .insert({ ...row, granted_at: event.createdAt })
      .onConflict(['society_id', 'user_id'])
      .ignore();
  },
};
