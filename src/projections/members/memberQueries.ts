import type { Knex } from 'knex';
import type { MemberStatus } from '../../events/members/memberEvents';

export interface MemberRow {
  id: string;
  name: string;
  email: string;
  phone_number: string;
  phone_verified: boolean;
  society_id: string;
  /** From the `societies` view: the summary a member record is shown with. */
  society_name: string | null;
  subscription_id: string | null;
  status: MemberStatus;
  onboarded_by: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  self_registered: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** Reads the `members` view with its society's name. */
const membersWithSociety = (knex: Knex) =>
  knex('members as m')
    .leftJoin('societies as s', 's.id', 'm.society_id')
    .select<MemberRow[]>('m.*', 's.name as society_name');

export const findMember = async (knex: Knex, id: string): Promise<MemberRow | undefined> =>
  (await membersWithSociety(knex).where('m.id', id).first()) as MemberRow | undefined;

/** Keyset pagination on (created_at, id), like the society list. */
export const listSocietyMembers = (
  knex: Knex,
  {
    societyId,
    status,
    limit,
    after,
  }: { societyId: string; status?: MemberStatus; limit: number; after?: { createdAt: Date; id: string } },
): Promise<MemberRow[]> => {
  const query = membersWithSociety(knex)
    .where('m.society_id', societyId)
    .orderBy([{ column: 'm.created_at' }, { column: 'm.id' }])
    .limit(limit);
  if (status) query.andWhere('m.status', status);
  if (after) query.andWhereRaw('(m.created_at, m.id) > (?, ?)', [after.createdAt, after.id]);
  return query;
};
