import type { Knex } from 'knex';

export interface SocietyRow {
  id: string;
  name: string;
  location: string;
  max_members_per_event: number;
  capacity: number;
  revenue_details: string;
  currency: string;
  timezone: string;
  latitude: number | null;
  longitude: number | null;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** Reads the `societies` view (the active projection version). */
export const findSociety = (knex: Knex, id: string): Promise<SocietyRow | undefined> =>
  knex<SocietyRow>('societies').where({ id }).first();

/** Keyset pagination on (created_at, id): stable under inserts, cheap at any depth. */
export const listSocieties = async (
  knex: Knex,
  {
    limit,
    after,
    nameContains,
  }: { limit: number; after?: { createdAt: Date; id: string }; nameContains?: string },
): Promise<SocietyRow[]> => {
  const query = knex<SocietyRow>('societies')
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(limit);
  if (after) query.whereRaw('(created_at, id) > (?, ?)', [after.createdAt, after.id]);
  if (nameContains) query.whereILike('name', `%${nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return query;
};
