import type { Knex } from 'knex';
import { MicroBatcher } from '../../platform/microBatcher';
import type { UserRow } from '../../projections/identity/userQueries';

export interface KnownUser {
  readonly user: UserRow;
  /** Societies the user administers (society admins only; empty for everyone else). */
  readonly societies: readonly string[];
}

/**
 * Who a token's subject is now, read from the read model on every request (so a deactivated user
 * is refused at once and a fresh admin grant applies at once) — but requests that arrive together
 * share the two queries. Why: a front desk booking 200 members into a class sent 200 identical
 * lookups, and they queued for the pool ahead of the bookings themselves.
 */
export const principalLookup = (knex: Knex): ((userId: string) => Promise<KnownUser | undefined>) => {
  const batcher = new MicroBatcher<string, KnownUser | undefined>(async (ids) => {
    const unique = [...new Set(ids)];
    const users: UserRow[] = await knex<UserRow>('users').whereIn('id', unique);
    const admins = users.filter((u) => u.role === 'society_admin').map((u) => u.id);
    const grants: Array<{ user_id: string; society_id: string }> = admins.length
      ? await knex('society_admins').whereIn('user_id', admins).select('user_id', 'society_id')
      : [];
    const known = new Map(
      users.map((user) => [
        user.id,
        { user, societies: grants.filter((g) => g.user_id === user.id).map((g) => g.society_id) },
      ]),
    );
    return ids.map((id) => ({ ok: true as const, value: known.get(id) }));
  });
  return (userId) => batcher.submit(userId);
};
