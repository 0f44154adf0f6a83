import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionDefinition } from '../engine/projection';
import { RowCache } from '../engine/rowCache';
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
  applyBatch: async (events, { trx, table }) => {
    const admins = new RowCache<SocietyAdminRow>(trx, table('society_admins'), ['society_id', 'user_id']);
    const grants = events.flatMap(adminGrantOf);
    await admins.load(grants.map((g) => [g.society_id, g.user_id]));
    // The first grant stays: granting again (or replaying) changes neither grantor nor time.
    for (const grant of grants) admins.insertIfAbsent(grant);
    await admins.flush();
  },
};

export interface SocietyAdminRow extends Record<string, unknown> {
  society_id: string;
  user_id: string;
  granted_by: string | null;
  granted_at: Date;
}

/** The admin a fact makes, if any: a society registered with no `registeredBy` has no creator to add. */
export const adminGrantOf = (event: RecordedEvent): SocietyAdminRow[] => {
  if (event.type === 'SocietyRegistered') {
    const d = societyRegisteredSchema.parse(event.data);
    return d.registeredBy
      ? [{ society_id: d.societyId, user_id: d.registeredBy, granted_by: null, granted_at: event.createdAt }]
      : [];
  }
  const d = societyAdminGrantedSchema.parse(event.data);
  return [
    { society_id: d.societyId, user_id: d.userId, granted_by: d.grantedBy, granted_at: event.createdAt },
  ];
};
