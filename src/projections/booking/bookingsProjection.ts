import type { ProjectionDefinition } from '../engine/projection';
import {
  attendanceMarkedSchema,
  bookingCanceledSchema,
  bookingConfirmedSchema,
  bookingPromotedSchema,
  bookingSlotClaimedSchema,
  bookingSlotReleasedSchema,
  bookingWaitlistedSchema,
  BOOKING_QUOTA_EVENT_TYPES,
  CLASS_BOOKING_EVENT_TYPES,
} from '../../events/booking/bookingEvents';

/**
 * `bookings`: one row per booking, for members, trainers, admins and analysts.
 *   id, member_id, event_id (the class), society_id, status `confirmed` | `waitlist` | `canceled`,
 *   waitlist_position (1-based, current; null unless waitlisted), week (ISO week of the class's
 *   society-local date: the weekly limit's week), booking_date (UTC date booked), booked_at,
 *   booked_by (the member, or the admin who booked for them), canceled_at, canceled_by,
 *   cancel_reason (`member` | `admin` | `class-canceled` | `waitlist-expired`), promoted_at,
 *   attendance (`present` | `no_show` | null), attendance_marked_at, attendance_marked_by.
 *   `class_revision` is the class stream revision the row was last written at: replays never
 *   roll a row back nor shift a waitlist twice.
 *
 * `booking_quota_claims`: one row per weekly slot claim (booking_id, member_id, week, class_id,
 *   society_id, requested_by, claimed_at, released_at, release_reason) — the reconciler looks
 *   here for claims whose booking never reached the class.
 */
export const bookingsProjection: ProjectionDefinition = {
  name: 'bookings',
  version: 1,
  tables: {
    bookings: (t) => {
      t.uuid('id').primary();
      t.uuid('member_id').notNullable();
      t.uuid('event_id').notNullable();
      t.uuid('society_id').notNullable();
      t.text('status').notNullable();
      t.integer('waitlist_position');
      t.text('week').notNullable();
      t.date('booking_date').notNullable();
      t.timestamp('booked_at', { useTz: true }).notNullable();
      t.uuid('booked_by');
      t.timestamp('promoted_at', { useTz: true });
      t.timestamp('canceled_at', { useTz: true });
      t.uuid('canceled_by');
      t.text('cancel_reason');
      t.text('attendance');
      t.timestamp('attendance_marked_at', { useTz: true });
      t.uuid('attendance_marked_by');
      t.integer('class_revision').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.index(['member_id', 'booked_at']);
      t.index(['event_id', 'status', 'waitlist_position']);
      t.index(['society_id', 'booked_at']);
    },
    booking_quota_claims: (t) => {
      t.uuid('booking_id').primary();
      t.uuid('member_id').notNullable();
      t.text('week').notNullable();
      t.uuid('class_id').notNullable();
      t.uuid('society_id').notNullable();
      t.uuid('requested_by');
      t.timestamp('claimed_at', { useTz: true }).notNullable();
      t.timestamp('released_at', { useTz: true });
      t.text('release_reason');
      t.index(['released_at', 'claimed_at']);
      t.index(['member_id', 'week']);
    },
  },
  handles: [...CLASS_BOOKING_EVENT_TYPES, ...BOOKING_QUOTA_EVENT_TYPES],
  apply: async (event, { trx, table }) => {
    const bookings = table('bookings');
    const revision = event.revision;
    /** Writes one booking row unless a later (or this) class event already did. */
    const update = (id: string, columns: Record<string, unknown>) =>
      trx(bookings)
        .where({ id })
        .andWhere('class_revision', '<', revision)
        .update({ ...columns, class_revision: revision, updated_at: event.createdAt });
    /** Everyone behind a place that left the waitlist moves up one. */
    const moveUpBehind = (classId: string, position: number) =>
      trx(bookings)
        .where({ event_id: classId, status: 'waitlist' })
        .andWhere('waitlist_position', '>', position)
        .andWhere('class_revision', '<', revision)
        .update({
          waitlist_position: trx.raw('waitlist_position - 1'),
          class_revision: revision,
          updated_at: event.createdAt,
        });
    switch (event.type) {
      case 'BookingConfirmed':
      case 'BookingWaitlisted': {
        const d =
          event.type === 'BookingConfirmed'
            ? { ...bookingConfirmedSchema.parse(event.data), position: null }
            : bookingWaitlistedSchema.parse(event.data);
        await trx(bookings)
          .insert({
            id: d.bookingId,
            member_id: d.memberId,
            event_id: d.classId,
            society_id: d.societyId,
            status: event.type === 'BookingConfirmed' ? 'confirmed' : 'waitlist',
            waitlist_position: d.position,
            week: d.week,
            booking_date: d.bookedAt.slice(0, 10),
            booked_at: d.bookedAt,
            booked_by: d.bookedBy,
            class_revision: revision,
            // The decision's own time, so the booking's answer and later reads agree to the millisecond.
            created_at: d.bookedAt,
            updated_at: d.bookedAt,
          })
          .onConflict('id')
          .ignore();
        return;
      }
      case 'BookingPromoted': {
        const d = bookingPromotedSchema.parse(event.data);
        await moveUpBehind(d.classId, d.fromPosition);
        await update(d.bookingId, {
          status: 'confirmed',
          waitlist_position: null,
          promoted_at: event.createdAt,
        });
        return;
      }
      case 'BookingCanceled': {
        const d = bookingCanceledSchema.parse(event.data);
        if (d.waitlistPosition !== null) await moveUpBehind(d.classId, d.waitlistPosition);
        await update(d.bookingId, {
          status: 'canceled',
          waitlist_position: null,
          canceled_at: d.canceledAt,
          canceled_by: d.canceledBy,
          cancel_reason: d.reason,
        });
        return;
      }
      case 'AttendanceMarked': {
        const d = attendanceMarkedSchema.parse(event.data);
        await update(d.bookingId, {
          attendance: d.attendance,
          attendance_marked_at: d.markedAt,
          attendance_marked_by: d.markedBy,
        });
        return;
      }
      case 'BookingSlotClaimed': {
        const d = bookingSlotClaimedSchema.parse(event.data);
        await trx(table('booking_quota_claims'))
          .insert({
            booking_id: d.bookingId,
            member_id: d.memberId,
            week: d.week,
            class_id: d.classId,
            society_id: d.societyId,
            requested_by: d.requestedBy,
            claimed_at: d.claimedAt,
          })
          .onConflict('booking_id')
          .ignore();
        return;
      }
      case 'BookingSlotReleased': {
        const d = bookingSlotReleasedSchema.parse(event.data);
        await trx(table('booking_quota_claims'))
          .where({ booking_id: d.bookingId })
          .whereNull('released_at')
          .update({ released_at: d.releasedAt, release_reason: d.reason });
        return;
      }
    }
  },
};
