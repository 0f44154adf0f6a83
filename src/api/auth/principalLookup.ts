import type { Knex } from 'knex';
import { MicroBatcher } from '../../events/store/microBatcher';
import { usersWithAdministeredSocieties, type UserRow } from '../../projections/identity/userQueries';

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
    const known = await usersWithAdministeredSocieties(knex, [...new Set(ids)]);
    return ids.map((id) => ({ ok: true as const, value: known.get(id) }));
  });
  return (userId) => batcher.submit(userId);
};
