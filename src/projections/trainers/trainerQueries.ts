import type { Knex } from 'knex';
import type { Availability, TrainerLocation } from '../../events/trainers/trainerEvents';

export interface TrainerRow {
  id: string;
  name: string;
  email: string;
  phone_number: string | null;
  specialization: string[];
  location: TrainerLocation;
  max_classes_per_day: number;
  availability: Availability | null;
  /** The society whose admin added the trainer; null when they signed up or a super_admin did. */
  society_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** Reads the `trainers` view (the active projection version). */
export const findTrainer = (knex: Knex, id: string): Promise<TrainerRow | undefined> =>
  knex<TrainerRow>('trainers').where({ id }).first();

/** Keyset pagination on (created_at, id); `specialization` matches one entry, case-insensitively. */
export const listTrainers = async (
  knex: Knex,
  {
    limit,
    after,
    specialization,
  }: { limit: number; after?: { createdAt: Date; id: string }; specialization?: string },
): Promise<TrainerRow[]> => {
  const query = knex<TrainerRow>('trainers')
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(limit);
  if (after) query.whereRaw('(created_at, id) > (?, ?)', [after.createdAt, after.id]);
  if (specialization) {
    query.whereRaw(
      'EXISTS (SELECT 1 FROM jsonb_array_elements_text(specialization) s WHERE lower(s) = lower(?))',
      [specialization.trim()],
    );
  }
  return query;
};

export interface TrainerSlotRow {
  class_id: string;
  society_id: string;
  start_minute: number;
  end_minute: number;
}

/** One trainer's claimed classes on one local date, in time order. */
export const trainerDaySlots = (knex: Knex, trainerId: string, date: string): Promise<TrainerSlotRow[]> =>
  knex('trainer_day_slots')
    .where({ trainer_id: trainerId, date })
    .orderBy([{ column: 'start_minute' }, { column: 'class_id' }])
    .select('class_id', 'society_id', 'start_minute', 'end_minute');
