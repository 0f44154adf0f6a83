import type { ProjectionDefinition } from '../engine/projection';
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
  version: 1,
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
  apply: async (event, { trx, table }) => {
    const classes = table('classes');
    // Replaying an older event must not roll a row back.
    const update = (id: string, columns: Record<string, unknown>) =>
      trx(classes)
        .where({ id })
        .andWhere('version', '<', event.revision)
        .update({ ...columns, version: event.revision, updated_at: event.createdAt });
    switch (event.type) {
      case 'ClassScheduled': {
        const d = classScheduledSchema.parse(event.data);
        await trx(classes)
          .insert({
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
            version: event.revision,
            created_at: event.createdAt,
            updated_at: event.createdAt,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'ClassDetailsChanged': {
        const { classId, changes } = classDetailsChangedSchema.parse(event.data);
        const columns = {
          name: changes.name,
          class_type: changes.classType,
          max_members: changes.maxMembers,
          // Seats already taken stay taken: the free seats move by the change in size.
          seats_left:
            changes.maxMembers === undefined
              ? undefined
              : trx.raw('GREATEST(0, seats_left + ? - max_members)', [changes.maxMembers]),
        };
        await update(classId, Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)));
        return;
      }
      case 'ClassRescheduled': {
        const d = classRescheduledSchema.parse(event.data);
        await update(d.classId, {
          date: d.date,
          start_minute: d.start,
          end_minute: d.end,
          timezone: d.timezone,
          starts_at: d.startsAt,
          ends_at: d.endsAt,
        });
        return;
      }
      case 'TrainerAssignedToClass': {
        const d = trainerAssignedToClassSchema.parse(event.data);
        await update(d.classId, { trainer_id: d.trainerId });
        return;
      }
      case 'ClassCanceled': {
        const d = classCanceledSchema.parse(event.data);
        await update(d.classId, { status: 'canceled', cancel_reason: d.reason });
        return;
      }
      case 'BookingConfirmed':
      case 'BookingPromoted': {
        const schema = event.type === 'BookingConfirmed' ? bookingConfirmedSchema : bookingPromotedSchema;
        const d = schema.parse(event.data);
        await update(d.classId, { seats_left: d.seatsLeft });
        return;
      }
      case 'BookingCanceled': {
        const d = bookingCanceledSchema.parse(event.data);
        await update(d.classId, d.previousStatus === 'confirmed' ? { seats_left: d.seatsLeft } : {});
        return;
      }
      case 'BookingWaitlisted':
      case 'AttendanceMarked':
        await update((event.data as { classId: string }).classId, {});
        return;
      case 'ClassActivityAdded':
      case 'ClassActivityChanged': {
        const schema = event.type === 'ClassActivityAdded' ? activityAddedSchema : activityChangedSchema;
        const { classId, activity, ordering } = schema.parse(event.data);
        const activities = table('class_activities');
        await trx(activities)
          .insert({
            id: activity.activityId,
            class_id: classId,
            order: ordering.indexOf(activity.activityId) + 1,
            name: activity.name,
            duration_minutes: activity.duration,
            description: activity.description,
            tracks: JSON.stringify(activity.tracks),
            media_url: activity.mediaUrl,
            class_version: event.revision,
          })
          .onConflict('id')
          .merge()
          .where(`${activities}.class_version`, '<', event.revision);
        for (const [index, id] of ordering.entries()) {
          await trx(activities)
            .where({ id })
            .andWhere('class_version', '<', event.revision)
            .update({ order: index + 1, class_version: event.revision });
        }
        await update(classId, {});
        return;
      }
    }
  },
};
