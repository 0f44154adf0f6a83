import type { ProjectionDefinition } from '../engine/projection';
import {
  phoneVerifiedSchema,
  userRegisteredSchema,
  userStatusChangedSchema,
} from '../../events/identity/userEvents';

/**
 * `users`: one row per account (analysts: no secrets here). `user_credentials`: what login needs
 * (normalised email and phone, argon2id hash); keep it out of analysts' grants.
 */
export const usersProjection: ProjectionDefinition = {
  name: 'users',
  version: 1,
  tables: {
    users: (t) => {
      t.uuid('id').primary();
      t.text('name').notNullable();
      t.text('email').notNullable();
      t.text('phone_number');
      t.boolean('phone_verified').notNullable().defaultTo(false);
      t.text('role').notNullable();
      t.text('status').notNullable();
      t.uuid('society_id');
      t.jsonb('specialization');
      t.jsonb('location');
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.index(['role']);
    },
    user_credentials: (t) => {
      t.uuid('user_id').primary();
      t.text('email').notNullable().unique();
      t.text('phone_number').unique();
      t.text('password_hash').notNullable();
    },
  },
  handles: ['UserRegistered', 'PhoneVerified', 'UserDeactivated', 'UserReactivated'],
  apply: async (event, { trx, table }) => {
    switch (event.type) {
      case 'UserRegistered': {
        const u = userRegisteredSchema.parse(event.data);
        await trx(table('users'))
          .insert({
            id: u.userId,
            name: u.name,
            email: u.email,
            phone_number: u.phoneNumber,
            role: u.role,
            status: 'active',
            society_id: u.societyId,
            specialization: u.trainer ? JSON.stringify(u.trainer.specialization) : null,
            location: u.trainer ? JSON.stringify(u.trainer.location) : null,
            created_at: event.createdAt,
            updated_at: event.createdAt,
          })
          .onConflict('id')
          .ignore();
        await trx(table('user_credentials'))
          .insert({
            user_id: u.userId,
            email: u.email,
            phone_number: u.phoneNumber,
            password_hash: u.passwordHash,
          })
          .onConflict('user_id')
          .ignore();
        return;
      }
      case 'PhoneVerified': {
        const { userId } = phoneVerifiedSchema.parse(event.data);
        await trx(table('users'))
          .where({ id: userId })
          .update({ phone_verified: true, updated_at: event.createdAt });
        return;
      }
      case 'UserDeactivated':
      case 'UserReactivated': {
        const { userId } = userStatusChangedSchema.parse(event.data);
        await trx(table('users'))
          .where({ id: userId })
          .update({
            status: event.type === 'UserDeactivated' ? 'inactive' : 'active',
            updated_at: event.createdAt,
          });
        return;
      }
    }
  },
};
