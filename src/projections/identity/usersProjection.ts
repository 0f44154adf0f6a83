import type { z } from 'zod';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionDefinition } from '../engine/projection';
import { flushAll, RowCache } from '../engine/rowCache';
import {
  phoneVerifiedSchema,
  userRegisteredSchema,
  userStatusChangedSchema,
} from '../../events/identity/userEvents';
import { memberOnboardedSchema } from '../../events/members/memberEvents';

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
  // MemberOnboarded: a member who signed up without a society and applied later joins it here.
  handles: ['UserRegistered', 'PhoneVerified', 'UserDeactivated', 'UserReactivated', 'MemberOnboarded'],
  applyBatch: async (events, { trx, table }) => {
    const users = new RowCache<UserRow>(trx, table('users'), ['id']);
    const credentials = new RowCache<CredentialsRow>(trx, table('user_credentials'), ['user_id']);
    const facts = events.map(userFact).filter((f): f is UserFact => f !== undefined);
    await users.load(facts.map((f) => f.userId));
    // Only registration writes credentials: the only keys worth loading.
    await credentials.load(facts.filter((f) => f.kind === 'registered').map((f) => f.userId));
    for (const fact of facts) {
      const next = evolveUser(users.get(fact.userId), fact);
      if (next) users.put(next);
      if (fact.kind === 'registered') credentials.insertIfAbsent(credentialsOf(fact.data));
    }
    await flushAll(users, credentials);
  },
};

export interface UserRow extends Record<string, unknown> {
  id: string;
  name: string;
  email: string;
  phone_number: string | null;
  phone_verified: boolean;
  role: string;
  status: 'active' | 'inactive';
  society_id: string | null;
  /** jsonb: a trainer's specialization (array of strings), null for everyone else. */
  specialization: unknown;
  /** jsonb: a trainer's `{address, latitude, longitude}`, null for everyone else. */
  location: unknown;
  created_at: Date;
  updated_at: Date;
}

export interface CredentialsRow extends Record<string, unknown> {
  user_id: string;
  email: string;
  phone_number: string | null;
  password_hash: string;
}

type UserRegistered = z.infer<typeof userRegisteredSchema>;

type UserFact = { userId: string; event: RecordedEvent } & (
  | { kind: 'registered'; data: UserRegistered }
  | { kind: 'phoneVerified' }
  | { kind: 'statusChanged'; status: UserRow['status'] }
  | { kind: 'appliedToSociety'; societyId: string }
);

/** A fact about an account; undefined for a member record that belongs to no account. */
const userFact = (event: RecordedEvent): UserFact | undefined => {
  switch (event.type) {
    case 'MemberOnboarded': {
      const data = memberOnboardedSchema.parse(event.data);
      return data.userId === null
        ? undefined
        : { kind: 'appliedToSociety', userId: data.userId, societyId: data.societyId, event };
    }
    case 'UserRegistered': {
      const data = userRegisteredSchema.parse(event.data);
      return { kind: 'registered', userId: data.userId, data, event };
    }
    case 'PhoneVerified':
      return { kind: 'phoneVerified', userId: phoneVerifiedSchema.parse(event.data).userId, event };
    default:
      return {
        kind: 'statusChanged',
        userId: userStatusChangedSchema.parse(event.data).userId,
        status: event.type === 'UserDeactivated' ? 'inactive' : 'active',
        event,
      };
  }
};

/**
 * The user's row after one fact; undefined leaves it as it is. Registering again (a replay)
 * keeps the row; the other facts carry no revision guard, as they never did: replaying them in
 * order lands on the same row.
 */
export const evolveUser = (row: UserRow | undefined, fact: UserFact): UserRow | undefined => {
  const { event } = fact;
  if (fact.kind === 'registered') {
    if (row) return undefined;
    const u = fact.data;
    return {
      id: u.userId,
      name: u.name,
      email: u.email,
      phone_number: u.phoneNumber,
      phone_verified: false,
      role: u.role,
      status: 'active',
      society_id: u.societyId,
      specialization: u.trainer ? u.trainer.specialization : null,
      location: u.trainer ? u.trainer.location : null,
      created_at: event.createdAt,
      updated_at: event.createdAt,
    };
  }
  if (!row) return undefined;
  if (fact.kind === 'phoneVerified') return { ...row, phone_verified: true, updated_at: event.createdAt };
  // The society a member chose at signup stands; a later application names it when there was none.
  if (fact.kind === 'appliedToSociety')
    return row.society_id === null
      ? { ...row, society_id: fact.societyId, updated_at: event.createdAt }
      : undefined;
  return { ...row, status: fact.status, updated_at: event.createdAt };
};

/**
 * The login row a registration gives. Its email is unique: the command side claims an email
 * before registering, so two users never bring the same one here (if they did, the flush fails
 * on the unique index, as the per-event insert did).
 */
export const credentialsOf = (u: UserRegistered): CredentialsRow => ({
  user_id: u.userId,
  email: u.email,
  phone_number: u.phoneNumber,
  password_hash: u.passwordHash,
});
