import type { z } from 'zod';
import { changed } from '../engine/changes';
import type { TrainerRow } from './trainerQueries';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionDefinition } from '../engine/projection';
import { RowCache } from '../engine/rowCache';
import {
  trainerAvailabilitySetSchema,
  trainerProfileCreatedSchema,
  trainerProfileUpdatedSchema,
} from '../../events/trainers/trainerEvents';

/**
 * `trainers`: one row per trainer profile. `specialization` is a JSON array of strings,
 * `location` `{address, latitude, longitude}`, `availability` `{weekly, slots, unavailable}`
 * with times in minutes since midnight local to the society of the class (null until set);
 * `version` is the trainer stream's revision (the ETag of GET /trainers/{id}).
 */
export const trainersProjection: ProjectionDefinition = {
  name: 'trainers',
  version: 2,
  tables: {
    trainers: (t) => {
      t.uuid('id').primary();
      t.text('name').notNullable();
      t.text('email').notNullable();
      t.text('phone_number');
      t.jsonb('specialization').notNullable();
      t.jsonb('location').notNullable();
      t.integer('max_classes_per_day').notNullable();
      t.jsonb('availability');
      /** The society whose admin added the trainer; null when they signed up or a super_admin did. */
      t.uuid('society_id');
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.index(['created_at', 'id']);
    },
  },
  handles: ['TrainerProfileCreated', 'TrainerProfileUpdated', 'TrainerAvailabilitySet'],
  applyBatch: async (events, { trx, table }) => {
    const trainers = new RowCache<TrainerRow>(trx, table('trainers'), ['id']);
    const facts = events.map(trainerFact);
    await trainers.load(facts.map((f) => f.data.trainerId));
    for (const fact of facts) {
      const next = evolveTrainer(trainers.get(fact.data.trainerId), fact);
      if (next) trainers.put(next);
    }
    await trainers.flush();
  },
};

type TrainerFact = { event: RecordedEvent } & (
  | { kind: 'created'; data: z.infer<typeof trainerProfileCreatedSchema> }
  | { kind: 'updated'; data: z.infer<typeof trainerProfileUpdatedSchema> }
  | { kind: 'availabilitySet'; data: z.infer<typeof trainerAvailabilitySetSchema> }
);

const trainerFact = (event: RecordedEvent): TrainerFact => {
  switch (event.type) {
    case 'TrainerProfileCreated':
      return { kind: 'created', data: trainerProfileCreatedSchema.parse(event.data), event };
    case 'TrainerProfileUpdated':
      return { kind: 'updated', data: trainerProfileUpdatedSchema.parse(event.data), event };
    default:
      return { kind: 'availabilitySet', data: trainerAvailabilitySetSchema.parse(event.data), event };
  }
};

/**
 * The trainer's row after one fact; undefined leaves it as it is. A fact at or below the row's
 * version was applied already (a replay), so it must not roll the row back.
 */
export const evolveTrainer = (row: TrainerRow | undefined, fact: TrainerFact): TrainerRow | undefined => {
  const { event } = fact;
  if (fact.kind === 'created') {
    if (row) return undefined;
    const d = fact.data;
    return {
      id: d.trainerId,
      name: d.name,
      email: d.email,
      phone_number: d.phoneNumber,
      specialization: d.specialization,
      location: d.location,
      max_classes_per_day: d.maxClassesPerDay,
      availability: null,
      society_id: d.societyId ?? null,
      version: event.revision,
      created_at: event.createdAt,
      updated_at: event.createdAt,
    };
  }
  if (!row || row.version >= event.revision) return undefined;
  const stamped = { version: event.revision, updated_at: event.createdAt };
  if (fact.kind === 'availabilitySet') return { ...row, availability: fact.data.availability, ...stamped };
  const { changes } = fact.data;
  return {
    ...row,
    name: changed(changes.name, row.name),
    email: changed(changes.email, row.email),
    phone_number: changed(changes.phoneNumber, row.phone_number),
    specialization: changed(changes.specialization, row.specialization),
    location: changed(changes.location, row.location),
    max_classes_per_day: changed(changes.maxClassesPerDay, row.max_classes_per_day),
    ...stamped,
  };
};
