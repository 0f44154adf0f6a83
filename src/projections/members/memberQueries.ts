import type { Knex } from 'knex';
import type { MemberStatus } from '../../events/members/memberEvents';
import { knexStatement, runNamed } from '../namedQuery';

export interface MemberRow {
  id: string;
  name: string;
  email: string;
  phone_number: string;
  phone_verified: boolean;
  society_id: string;
  /** From the `societies` view: the summary a member record is shown with. */
  society_name: string | null;
  /** The plan recorded when the member was onboarded, as given (see `plan_id`). */
  subscription_id: string | null;
  /**
   * The plan the member holds: the one their paid subscription (in force now, else the next one
   * paid for) is on, else the plan recorded at onboarding; null when neither.
   */
  plan_id: string | null;
  /** That plan's name and price (numeric text), from billing's tables; null when unknown there. */
  plan_name: string | null;
  plan_price: string | null;
  status: MemberStatus;
  onboarded_by: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  self_registered: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/**
 * Reads the `members` view with its society's name and the plan the member holds, joined on the
 * query side from billing's `member_subscriptions` (paid, not yet ended: the one in force first)
 * and `subscription_plans` (the plan recorded at onboarding, before any payment).
 */
const membersWithSociety = (knex: Knex) =>
  knex('members as m')
    .leftJoin('societies as s', 's.id', 'm.society_id')
    .joinRaw(
      `LEFT JOIN LATERAL (
         SELECT ms.plan_id, ms.plan_name, ms.price FROM member_subscriptions ms
          WHERE ms.member_id = m.id AND ms.status = 'paid' AND ms.ends_at > now()
          ORDER BY ms.starts_at, ms.id LIMIT 1) paid ON true`,
    )
    .leftJoin('subscription_plans as p', 'p.id', 'm.subscription_id')
    .select<MemberRow[]>(
      'm.*',
      's.name as society_name',
      knex.raw('coalesce(paid.plan_id, m.subscription_id) as plan_id'),
      knex.raw('coalesce(paid.plan_name, p.name) as plan_name'),
      knex.raw('coalesce(paid.price, p.price)::text as plan_price'),
    );

// Named: every GET of a member's bookings reads the member first (who may see them).
const findMemberStatement = knexStatement('members.find', (knex) =>
  membersWithSociety(knex).where('m.id', 'id').first(),
);

export const findMember = async (knex: Knex, id: string): Promise<MemberRow | undefined> =>
  (await runNamed<MemberRow>(knex, findMemberStatement(knex), [id, 1]))[0];

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
