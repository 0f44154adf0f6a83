import type { Knex } from 'knex';

/**
 * Which of these trainers work in any of these societies, as the read side knows it: the
 * society's admin added them (their profile names it), or a class of the society is (or was,
 * canceled or past) assigned to them.
 */
export const trainersTeachingIn = async (
  knex: Knex,
  trainerIds: readonly string[],
  societyIds: readonly string[],
): Promise<Set<string>> => {
  if (trainerIds.length === 0 || societyIds.length === 0) return new Set();
  const [teaching, added]: { trainer_id: string }[][] = await Promise.all([
    knex('classes')
      .distinct('trainer_id')
      .whereIn('trainer_id', trainerIds as string[])
      .whereIn('society_id', societyIds as string[]),
    knex('trainers')
      .select('id as trainer_id')
      .whereIn('id', trainerIds as string[])
      .whereIn('society_id', societyIds as string[]),
  ]);
  return new Set([...teaching!, ...added!].map((r) => r.trainer_id));
};
