import type { ProjectionDefinition } from '../engine/projection';
import {
  memberDecidedSchema,
  memberOnboardedSchema,
  memberProfileChangedSchema,
} from '../../events/members/memberEvents';

/**
 * `members`: one row per member application, as GET /members/{id} and the society's member
 * list show it. Analysts: `onboarded_by` is the maker (null when the person applied at signup,
 * `self_registered`), `decided_by` the checker; `version` is the member stream's revision.
 */
export const membersProjection: ProjectionDefinition = {
  name: 'members',
  version: 1,
  tables: {
    members: (t) => {
      t.uuid('id').primary();
      t.text('name').notNullable();
      t.text('email').notNullable();
      t.text('phone_number').notNullable();
      t.boolean('phone_verified').notNullable().defaultTo(false);
      t.uuid('society_id').notNullable();
      t.uuid('subscription_id');
      t.text('status').notNullable();
      t.uuid('onboarded_by');
      t.uuid('decided_by');
      t.text('decision_reason');
      t.boolean('self_registered').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.integer('version').notNullable();
      t.index(['society_id', 'status', 'created_at', 'id']);
      t.index(['society_id', 'created_at', 'id']);
    },
  },
  handles: ['MemberOnboarded', 'MemberProfileChanged', 'MemberApproved', 'MemberRejected'],
  apply: async (event, { trx, table }) => {
    switch (event.type) {
      case 'MemberOnboarded': {
        const d = memberOnboardedSchema.parse(event.data);
        await trx(table('members'))
          .insert({
            id: d.memberId,
            name: d.name,
            email: d.email,
            phone_number: d.phoneNumber,
            phone_verified: false,
            society_id: d.societyId,
            subscription_id: d.subscriptionId,
            status: 'pending',
            onboarded_by: d.onboardedBy,
            decided_by: null,
            decision_reason: null,
            self_registered: d.selfRegistered,
            created_at: event.createdAt,
            updated_at: event.createdAt,
            version: event.revision,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'MemberProfileChanged': {
        const { memberId, changes, phoneVerified } = memberProfileChangedSchema.parse(event.data);
        const columns = {
          name: changes.name,
          email: changes.email,
          phone_number: changes.phoneNumber,
          phone_verified: phoneVerified,
        };
        await trx(table('members'))
          .where({ id: memberId })
          // Replaying an older event must not roll a row back.
          .andWhere('version', '<', event.revision)
          .update({
            ...Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)),
            version: event.revision,
            updated_at: event.createdAt,
          });
        return;
      }
      case 'MemberApproved':
      case 'MemberRejected': {
        const d = memberDecidedSchema.parse(event.data);
        await trx(table('members'))
          .where({ id: d.memberId })
          .andWhere('version', '<', event.revision)
          .update({
            status: event.type === 'MemberApproved' ? 'approved' : 'rejected',
            decided_by: d.checker,
            decision_reason: d.reason,
            version: event.revision,
            updated_at: event.createdAt,
          });
        return;
      }
    }
  },
};
