import { z } from 'zod';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionDefinition } from '../engine/projection';
import { flushAll, RowCache, type Instant } from '../engine/rowCache';
import { singleFacts } from '../engine/singleFacts';
import type { ClassRow as StoredClassRow } from './classQueries';
import {
  activityAddedSchema,
  activityChangedSchema,
  classCanceledSchema,
  classDetailsChangedSchema,
  classRescheduledSchema,
  classScheduledSchema,
  trainerAssignedToClassSchema,
} from '../../events/classes/classEvents';
import {
  bookingCanceledSchema,
  bookingConfirmedSchema,
  bookingPromotedSchema,
  CLASS_BOOKING_EVENT_TYPES,
} from '../../events/booking/bookingEvents';

/**
 * `classes`: one row per class (the spec's Event). `date`, `start_minute`, `end_minute` are the
 * society's wall clock; `starts_at`/`ends_at` the instants they mean in `timezone` (the society's
 * zone when the class was scheduled or last moved) — analysts compare those across societies.
 * `status` holds only the recorded fact (`scheduled` or `canceled`); ongoing/completed follow
 * from the clock and are derived when read. `seats_left` is set from the booking facts (each
 * carries the seats left after it), so it is never counted. `version` is the class stream's
 * revision (booking facts live in that stream too, so they move it).
 *
 * `class_activities`: a class's activities, `order` contiguous 1..n per class.
 */
export const classesProjection: ProjectionDefinition = {
  name: 'classes',
  version: 2,
  tables: {
    classes: (t) => {
      t.uuid('id').primary();
      t.uuid('society_id').notNullable();
      t.text('name').notNullable();
      t.text('class_type').notNullable();
      t.uuid('trainer_id');
      t.date('date').notNullable();
      t.integer('start_minute').notNullable();
      t.integer('end_minute').notNullable();
      t.text('timezone').notNullable();
      t.timestamp('starts_at', { useTz: true }).notNullable();
      t.timestamp('ends_at', { useTz: true }).notNullable();
      t.integer('max_members').notNullable();
      t.integer('seats_left').notNullable();
      t.text('status').notNullable();
      t.text('cancel_reason');
      /** Where in the society (the updated event design's `location`); null when not given. */
      t.text('location');
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.index(['society_id', 'starts_at']);
      t.index(['trainer_id', 'starts_at']);
      t.index(['starts_at', 'id']);
    },
    class_activities: (t) => {
      t.uuid('id').primary();
      t.uuid('class_id').notNullable();
      t.integer('order').notNullable();
      t.text('name').notNullable();
      t.integer('duration_minutes').notNullable();
      t.text('description');
      t.jsonb('tracks').notNullable();
      t.text('media_url');
      /** The class stream revision this row was last written at (replays never roll it back). */
      t.integer('class_version').notNullable();
      t.index(['class_id', 'order']);
    },
  },
  handles: [
    'ClassScheduled',
    'ClassDetailsChanged',
    'ClassRescheduled',
    'TrainerAssignedToClass',
    'ClassCanceled',
    'ClassActivityAdded',
    'ClassActivityChanged',
    ...CLASS_BOOKING_EVENT_TYPES,
  ],
  applyBatch: async (events, { trx, table }) => {
    const classes = new RowCache<ClassRow>(trx, table('classes'), ['id']);
    const activities = new RowCache<ClassActivityRow>(trx, table('class_activities'), ['id']);
    const facts = events.map(classFact);
    // A class's only fact in the batch that creates it or sets columns writes without a load
    // (the live booking case: one seat count per class per batch).
    const unloaded = new Map(
      [...singleFacts(facts, (f) => f.classId)].filter(
        ([, f]) => f.kind === 'scheduled' || f.kind === 'changed',
      ),
    );
    for (const fact of unloaded.values()) writeClassUnloaded(classes, fact);
    const folded = facts.filter((f) => !unloaded.has(f.classId));
    await classes.load(folded.map((f) => f.classId));
    await activities.load(
      folded.flatMap((f) => (f.kind === 'activity' ? [f.data.activity.activityId, ...f.data.ordering] : [])),
    );
    for (const fact of folded) {
      if (fact.kind === 'activity')
        for (const row of evolveActivities((id) => activities.get(id), fact)) activities.put(row);
      const next = evolveClass(classes.get(fact.classId), fact);
      if (next) classes.put(next);
    }
    await flushAll(classes, activities);
  },
};

/** A class's only fact in the batch, written unloaded: what evolveClass would write, as SQL. */
const writeClassUnloaded = (classes: RowCache<ClassRow>, fact: ClassFact): void => {
  if (fact.kind === 'scheduled') classes.createUnlessPresent(evolveClass(undefined, fact)!);
  else if (fact.kind === 'changed')
    // Like evolveClass: only a row below this class revision changes.
    classes.patch(
      fact.classId,
      { ...fact.columns, version: fact.event.revision, updated_at: fact.event.createdAt },
      { column: 'version', below: fact.event.revision },
    );
};

export type ClassRow = StoredClassRow<Instant> & Record<string, unknown>;

export interface ClassActivityRow extends Record<string, unknown> {
  id: string;
  class_id: string;
  order: number;
  name: string;
  duration_minutes: number;
  description: string | null;
  /** jsonb: the array itself, not its JSON text. */
  tracks: string[];
  media_url: string | null;
  class_version: number;
}

type ActivityFactData = z.infer<typeof activityAddedSchema> | z.infer<typeof activityChangedSchema>;

/**
 * A class-stream fact as the class row sees it. Most only set columns (`changed`; booking facts
 * that leave the seats alone set none but still move `version`); a size change is relative to
 * the row, and an activity also writes `class_activities`.
 */
type ClassFact = { classId: string; event: RecordedEvent } & (
  | { kind: 'scheduled'; data: z.infer<typeof classScheduledSchema> }
  | { kind: 'detailsChanged'; changes: z.infer<typeof classDetailsChangedSchema>['changes'] }
  | { kind: 'changed'; columns: Partial<ClassRow> }
  | { kind: 'activity'; data: ActivityFactData }
);

/** The class a booking fact belongs to, for the facts that leave the seats as they are. */
const classRefSchema = z.object({ classId: z.string().uuid() });

const classFact = (event: RecordedEvent): ClassFact => {
  const changed = (classId: string, columns: Partial<ClassRow>): ClassFact => ({
    kind: 'changed',
    classId,
    columns,
    event,
  });
  switch (event.type) {
    case 'ClassScheduled': {
      const data = classScheduledSchema.parse(event.data);
      return { kind: 'scheduled', classId: data.classId, data, event };
    }
    case 'ClassDetailsChanged': {
      const { classId, changes } = classDetailsChangedSchema.parse(event.data);
      return { kind: 'detailsChanged', classId, changes, event };
    }
    case 'ClassRescheduled': {
      const d = classRescheduledSchema.parse(event.data);
      return changed(d.classId, {
        date: d.date,
        start_minute: d.start,
        end_minute: d.end,
        timezone: d.timezone,
        starts_at: d.startsAt,
        ends_at: d.endsAt,
      });
    }
    case 'TrainerAssignedToClass': {
      const d = trainerAssignedToClassSchema.parse(event.data);
      return changed(d.classId, { trainer_id: d.trainerId });
    }
    case 'ClassCanceled': {
      const d = classCanceledSchema.parse(event.data);
      return changed(d.classId, { status: 'canceled', cancel_reason: d.reason });
    }
    case 'BookingConfirmed': {
      const d = bookingConfirmedSchema.parse(event.data);
      return changed(d.classId, { seats_left: d.seatsLeft });
    }
    case 'BookingPromoted': {
      const d = bookingPromotedSchema.parse(event.data);
      return changed(d.classId, { seats_left: d.seatsLeft });
    }
    case 'BookingCanceled': {
      const d = bookingCanceledSchema.parse(event.data);
      return changed(d.classId, d.previousStatus === 'confirmed' ? { seats_left: d.seatsLeft } : {});
    }
    case 'BookingWaitlisted':
    case 'AttendanceMarked':
      return changed(classRefSchema.parse(event.data).classId, {});
    case 'ClassActivityAdded': {
      const data = activityAddedSchema.parse(event.data);
      return { kind: 'activity', classId: data.classId, data, event };
    }
    case 'ClassActivityChanged': {
      const data = activityChangedSchema.parse(event.data);
      return { kind: 'activity', classId: data.classId, data, event };
    }
    default:
      throw new Error(`classes: no handler for ${event.type}`);
  }
};

/**
 * The class's row after one fact; undefined leaves it as it is. A fact at or below the row's
 * version was applied already (a replay), so it must not roll the row back.
 */
export const evolveClass = (row: ClassRow | undefined, fact: ClassFact): ClassRow | undefined => {
  const { event } = fact;
  if (fact.kind === 'scheduled') {
    if (row) return undefined;
    const d = fact.data;
    return {
      id: d.classId,
      society_id: d.societyId,
      name: d.name,
      class_type: d.classType,
      trainer_id: d.trainerId,
      date: d.date,
      start_minute: d.start,
      end_minute: d.end,
      timezone: d.timezone,
      starts_at: d.startsAt,
      ends_at: d.endsAt,
      max_members: d.maxMembers,
      seats_left: d.maxMembers,
      status: 'scheduled',
      cancel_reason: null,
      location: d.location ?? null,
      version: event.revision,
      created_at: event.createdAt,
      updated_at: event.createdAt,
    };
  }
  if (!row || row.version >= event.revision) return undefined;
  const columns =
    fact.kind === 'detailsChanged'
      ? detailsColumns(row, fact.changes)
      : fact.kind === 'changed'
        ? fact.columns
        : {};
  return {
    ...row,
    ...columns,
    version: event.revision,
    updated_at: event.createdAt,
  };
};

const detailsColumns = (
  row: ClassRow,
  changes: z.infer<typeof classDetailsChangedSchema>['changes'],
): Partial<ClassRow> => {
  const columns: Partial<ClassRow> = {};
  if (changes.name !== undefined) columns.name = changes.name;
  if (changes.classType !== undefined) columns.class_type = changes.classType;
  if (changes.maxMembers !== undefined) {
    columns.max_members = changes.maxMembers;
    // Seats already taken stay taken: the free seats move by the change in size.
    columns.seats_left = Math.max(0, row.seats_left + changes.maxMembers - row.max_members);
  }
  return columns;
};

/**
 * The activity rows an added or changed activity writes: the activity itself, then every
 * activity of the class renumbered to its place in `ordering` (orders stay 1..n). Rows already
 * written at or after this class revision are left alone (a replay).
 */
export const evolveActivities = (
  activity: (id: string) => ClassActivityRow | undefined,
  fact: ClassFact & { kind: 'activity' },
): ClassActivityRow[] => {
  const revision = fact.event.revision;
  const { classId, activity: a, ordering } = fact.data;
  const written = new Map<string, ClassActivityRow>();
  const current = (id: string) => written.get(id) ?? activity(id);
  const existing = current(a.activityId);
  if (!existing || existing.class_version < revision)
    written.set(a.activityId, {
      id: a.activityId,
      class_id: classId,
      order: ordering.indexOf(a.activityId) + 1,
      name: a.name,
      duration_minutes: a.duration,
      description: a.description,
      tracks: a.tracks,
      media_url: a.mediaUrl,
      class_version: revision,
    });
  for (const [index, id] of ordering.entries()) {
    const row = current(id);
    if (row && row.class_version < revision)
      written.set(id, { ...row, order: index + 1, class_version: revision });
  }
  return [...written.values()];
};
