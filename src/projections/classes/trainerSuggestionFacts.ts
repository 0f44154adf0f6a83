import type { Knex } from 'knex';
import { allSocietyClocks } from '../schedules/planningQueries';
import { findSociety } from '../societies/societyQueries';
import { listTrainers, type TrainerRow } from '../trainers/trainerQueries';
import { societyLocations, trainerDayLoads, type ClassRow } from './classQueries';

const PAGE = 500;

/** Every trainer who teaches this class type (listTrainers pages by 500). */
const allTrainersTeaching = async (knex: Knex, classType: string) => {
  const trainers: TrainerRow[] = [];
  for (let after: { createdAt: Date; id: string } | undefined; ;) {
    const batch = await listTrainers(knex, { limit: PAGE, after, specialization: classType });
    trainers.push(...batch);
    if (batch.length < PAGE) return trainers;
    after = { createdAt: batch[batch.length - 1]!.created_at, id: batch[batch.length - 1]!.id };
  }
};

/**
 * What ranking trainers for a class reads (commands/trainers/trainerSuggestions.ts ranks them):
 * the class and where its society is, the trainers who teach its type, every class held that
 * date, and where each of those classes' societies is and in which zone.
 */
export const trainerSuggestionFacts = async (
  knex: Knex,
  row: Pick<
    ClassRow,
    'id' | 'society_id' | 'class_type' | 'date' | 'start_minute' | 'end_minute' | 'timezone' | 'trainer_id'
  >,
) => {
  const society = await findSociety(knex, row.society_id);
  const trainers = await allTrainersTeaching(knex, row.class_type);
  const held = await trainerDayLoads(knex, row.date);
  const [locations, clocks] = await Promise.all([
    societyLocations(knex, [...new Set(held.map((h) => h.society_id))]),
    allSocietyClocks(knex),
  ]);
  return {
    classToStaff: {
      id: row.id,
      societyId: row.society_id,
      classType: row.class_type,
      date: row.date,
      start: row.start_minute,
      end: row.end_minute,
      timezone: row.timezone,
      trainerId: row.trainer_id,
      societyLocation:
        society && society.latitude !== null && society.longitude !== null
          ? { lat: society.latitude, lng: society.longitude }
          : null,
    },
    trainers,
    heldThatDay: held.map((h) => ({
      trainerId: h.trainer_id,
      classId: h.class_id,
      societyId: h.society_id,
      start: h.start_minute,
      end: h.end_minute,
      startsAt: h.starts_at,
      endsAt: h.ends_at,
    })),
    societyLocations: locations,
    societyZones: new Map(clocks.map((c) => [c.id, c.timezone])),
  };
};
