import type { z } from 'zod';
import type { MemberRow } from './memberQueries';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionDefinition } from '../engine/projection';
import { RowCache } from '../engine/rowCache';
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
  applyBatch: async (events, { trx, table }) => {
    const members = new RowCache<MemberTableRow>(trx, table('members'), ['id']);
    const facts = events.map(memberFact);
    await members.load(facts.map((f) => f.memberId));
    for (const fact of facts) {
      const next = evolveMember(members.get(fact.memberId), fact);
      if (next) members.put(next);
    }
    await members.flush();
  },
};

/** A `members` row as stored (the query side adds its society's name and the plan's). */
type MemberTableRow = Omit<MemberRow, 'society_name' | 'plan_id' | 'plan_name' | 'plan_price'>;

type MemberOnboarded = z.infer<typeof memberOnboardedSchema>;
type MemberProfileChanged = z.infer<typeof memberProfileChangedSchema>;
type MemberDecided = z.infer<typeof memberDecidedSchema>;

type MemberFact = { memberId: string; event: RecordedEvent } & (
  | { kind: 'onboarded'; data: MemberOnboarded }
  | { kind: 'profileChanged'; data: MemberProfileChanged }
  | { kind: 'decided'; data: MemberDecided; approved: boolean }
);

const memberFact = (event: RecordedEvent): MemberFact => {
  switch (event.type) {
    case 'MemberOnboarded': {
      const data = memberOnboardedSchema.parse(event.data);
      return { kind: 'onboarded', memberId: data.memberId, data, event };
    }
    case 'MemberProfileChanged': {
      const data = memberProfileChangedSchema.parse(event.data);
      return { kind: 'profileChanged', memberId: data.memberId, data, event };
    }
    default: {
      const data = memberDecidedSchema.parse(event.data);
      return {
        kind: 'decided',
        memberId: data.memberId,
        data,
        event,
        approved: event.type === 'MemberApproved',
      };
    }
  }
};

/**
 * The member's row after one fact; undefined leaves it as it is. A fact at or below the row's
 * version was applied already (a replay), so it must not roll the row back.
 */
export const evolveMember = (
  row: MemberTableRow | undefined,
  fact: MemberFact,
): MemberTableRow | undefined => {
  const { event } = fact;
  if (fact.kind === 'onboarded') {
    if (row) return undefined;
    const d = fact.data;
    return {
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
    };
  }
  if (!row || row.version >= event.revision) return undefined;
  if (fact.kind === 'profileChanged') {
    const { changes, phoneVerified } = fact.data;
    return {
      ...row,
      name: changes.name ?? row.name,
      email: changes.email ?? row.email,
      phone_number: changes.phoneNumber ?? row.phone_number,
      phone_verified: phoneVerified ?? row.phone_verified,
      version: event.revision,
      updated_at: event.createdAt,
    };
  }
  return {
    ...row,
    status: fact.approved ? 'approved' : 'rejected',
    decided_by: fact.data.checker,
    decision_reason: fact.data.reason,
    version: event.revision,
    updated_at: event.createdAt,
  };
};
