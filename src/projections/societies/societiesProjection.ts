import type { z } from 'zod';
import { changed } from '../engine/changes';
import type { SocietyRow } from './societyQueries';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionDefinition } from '../engine/projection';
import { RowCache } from '../engine/rowCache';
import {
  DEFAULT_CANCELLATION_CUTOFF_MINUTES,
  DEFAULT_WEEKLY_BOOKING_LIMIT,
  societyDetailsChangedSchema,
  societyRegisteredSchema,
} from '../../events/societies/societyEvents';

/**
 * `societies`: one row per society, as listed by GET /societies. Analysts: `revenue_details` is
 * not kept here (always 0): the API answers it from billing's `revenue_entries` (societyQueries);
 * `version` is the society stream's revision (the ETag of GET /societies/{id}).
 *
 * Version 2 added `weekly_booking_limit` and `cancellation_cutoff_minutes` (the defaults for
 * societies registered before they were recorded).
 */
export const societiesProjection: ProjectionDefinition = {
  name: 'societies',
  version: 2,
  tables: {
    societies: (t) => {
      t.uuid('id').primary();
      t.text('name').notNullable();
      t.text('location').notNullable();
      t.integer('max_members_per_event').notNullable();
      t.integer('capacity').notNullable();
      t.decimal('revenue_details', 12, 2).notNullable().defaultTo(0);
      t.text('currency').notNullable().defaultTo('INR');
      t.text('timezone').notNullable();
      t.double('latitude');
      t.double('longitude');
      t.integer('weekly_booking_limit').notNullable().defaultTo(DEFAULT_WEEKLY_BOOKING_LIMIT);
      t.integer('cancellation_cutoff_minutes').notNullable().defaultTo(DEFAULT_CANCELLATION_CUTOFF_MINUTES);
      t.uuid('created_by');
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.index(['name']);
      t.index(['created_at', 'id']);
    },
  },
  handles: ['SocietyRegistered', 'SocietyDetailsChanged'],
  applyBatch: async (events, { trx, table }) => {
    const societies = new RowCache<SocietyRow>(trx, table('societies'), ['id']);
    const facts = events.map(societyFact);
    await societies.load(facts.map((f) => f.data.societyId));
    for (const fact of facts) {
      const next = evolveSociety(societies.get(fact.data.societyId), fact);
      if (next) societies.put(next);
    }
    await societies.flush();
  },
};

type SocietyFact = { event: RecordedEvent } & (
  | { kind: 'registered'; data: z.infer<typeof societyRegisteredSchema> }
  | { kind: 'detailsChanged'; data: z.infer<typeof societyDetailsChangedSchema> }
);

const societyFact = (event: RecordedEvent): SocietyFact =>
  event.type === 'SocietyRegistered'
    ? { kind: 'registered', data: societyRegisteredSchema.parse(event.data), event }
    : { kind: 'detailsChanged', data: societyDetailsChangedSchema.parse(event.data), event };

/**
 * The society's row after one fact; undefined leaves it as it is. A change at or below the row's
 * version was applied already (a replay), so it must not roll the row back.
 */
export const evolveSociety = (row: SocietyRow | undefined, fact: SocietyFact): SocietyRow | undefined => {
  const { event } = fact;
  if (fact.kind === 'registered') {
    if (row) return undefined;
    const d = fact.data;
    return {
      id: d.societyId,
      name: d.name,
      location: d.location,
      max_members_per_event: d.maxMembersPerEvent,
      capacity: d.capacity,
      // The column defaults, spelled out: a batch upserts every column of every row it writes.
      revenue_details: '0',
      currency: 'INR',
      timezone: d.timezone,
      latitude: d.latitude,
      longitude: d.longitude,
      weekly_booking_limit: d.weeklyBookingLimit ?? DEFAULT_WEEKLY_BOOKING_LIMIT,
      cancellation_cutoff_minutes: d.cancellationCutoffMinutes ?? DEFAULT_CANCELLATION_CUTOFF_MINUTES,
      created_by: d.registeredBy,
      version: event.revision,
      created_at: event.createdAt,
      updated_at: event.createdAt,
    };
  }
  if (!row || row.version >= event.revision) return undefined;
  const { changes } = fact.data;
  return {
    ...row,
    name: changed(changes.name, row.name),
    location: changed(changes.location, row.location),
    max_members_per_event: changed(changes.maxMembersPerEvent, row.max_members_per_event),
    capacity: changed(changes.capacity, row.capacity),
    timezone: changed(changes.timezone, row.timezone),
    latitude: changed(changes.latitude, row.latitude),
    longitude: changed(changes.longitude, row.longitude),
    weekly_booking_limit: changed(changes.weeklyBookingLimit, row.weekly_booking_limit),
    cancellation_cutoff_minutes: changed(changes.cancellationCutoffMinutes, row.cancellation_cutoff_minutes),
    version: event.revision,
    updated_at: event.createdAt,
  };
};
