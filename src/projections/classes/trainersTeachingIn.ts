import type { Knex } from 'knex';

/**
 * Which of these trainers work in any of these societies, as the read side knows it: a class of
 * the society is (or was, canceled or past) assigned to them. Trainer profiles and availability
 * name no society; the classes they are given are the only tie.
 */
export const trainersTeachingIn = async (
  knex: Knex,
  trainerIds: readonly string[],
  societyIds: readonly string[],
): Promise<Set<string>> => {
  if (trainerIds.length === 0 || societyIds.length === 0) return new Set();
  const rows: { trainer_id: string }[] = await knex('classes')
    .distinct('trainer_id')
    .whereIn('trainer_id', trainerIds as string[])
    .whereIn('society_id', societyIds as string[]);
  return new Set(rows.map((r) => r.trainer_id));
};
