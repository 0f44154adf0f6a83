import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';

/**
 * Booking facts recorded in `class-<id>`: only the class stream decides seats, so every seat,
 * waitlist place, promotion and cancellation is appended there (docs/architecture.md, "Rules across streams", 2).
 * `seatsLeft` is the class's free seats right after the fact, so a read model sets it, never
 * counts it. `week` is the ISO week (`2026-W10`) of the class's society-local date: the
 * `booking-quota-<member>-<week>` stream whose slot the booking holds.
 */
const bookingRef = {
  bookingId: z.string().uuid(),
  classId: z.string().uuid(),
  memberId: z.string().uuid(),
};

const placed = {
  ...bookingRef,
  societyId: z.string().uuid(),
  week: z.string(),
  /** Who asked: the member themself or an admin booking for them. */
  bookedBy: z.string().nullable(),
  bookedAt: z.string(),
};

export const bookingConfirmedSchema = z.object({ ...placed, seatsLeft: z.number().int() });
/** The class was full: a place in the queue, 1-based, that holds its weekly slot. */
export const bookingWaitlistedSchema = z.object({ ...placed, position: z.number().int().min(1) });
/**
 * A waitlisted booking took the seat a cancellation freed, in the same append as that
 * cancellation. `fromPosition` is the place it left (always 1: the queue is first come, first served).
 */
export const bookingPromotedSchema = z.object({
  ...bookingRef,
  fromPosition: z.number().int().min(1),
  seatsLeft: z.number().int(),
});

export const CANCELLATION_REASONS = ['member', 'admin', 'class-canceled', 'waitlist-expired'] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

/** A seat or waitlist place given up. `waitlistPosition` is the place it left when it was waitlisted. */
export const bookingCanceledSchema = z.object({
  ...bookingRef,
  week: z.string(),
  previousStatus: z.enum(['confirmed', 'waitlist']),
  waitlistPosition: z.number().int().nullable(),
  reason: z.enum(CANCELLATION_REASONS),
  canceledBy: z.string().nullable(),
  canceledAt: z.string(),
  seatsLeft: z.number().int(),
});

export const ATTENDANCE = ['present', 'no_show'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

export const attendanceMarkedSchema = z.object({
  ...bookingRef,
  attendance: z.enum(ATTENDANCE),
  markedBy: z.string().nullable(),
  markedAt: z.string(),
});

/**
 * Facts of `booking-quota-<member>-<week>`: the weekly limit is kept here (docs/architecture.md, "Rules across streams",
 * 1). A claim holds one of the member's slots for the week until released; it carries the class's
 * times so overlapping bookings are refused in the same decision, and what the reconciler needs
 * to finish a booking whose class step never happened.
 */
export const bookingSlotClaimedSchema = z.object({
  ...bookingRef,
  societyId: z.string().uuid(),
  week: z.string(),
  limit: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  requestedBy: z.string().nullable(),
  claimedAt: z.string(),
  /** The class stream's revision the times were read at; a move read earlier never undoes them. */
  classRevision: z.number().int().optional(),
});

/**
 * The class of a held slot moved (within the week: a class with bookings never leaves its week),
 * so the slot now holds the member's time at the class's new times: overlaps are checked against
 * these from now on. `classRevision` is the class stream's revision the times were read at.
 */
export const bookingSlotMovedSchema = z.object({
  ...bookingRef,
  week: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  classRevision: z.number().int(),
  movedAt: z.string(),
});

export const SLOT_RELEASE_REASONS = ['booking-refused', 'booking-canceled', 'reconciled'] as const;
export const bookingSlotReleasedSchema = z.object({
  bookingId: z.string().uuid(),
  memberId: z.string().uuid(),
  week: z.string(),
  reason: z.enum(SLOT_RELEASE_REASONS),
  releasedAt: z.string(),
});

/**
 * The one fact of `booking-<id>`: the class and member a booking id names, recorded once its seat
 * or waitlist place is. A cancellation or attendance mark starts from the id alone; this finds
 * the class stream that decides it without waiting for the read side.
 */
export const bookingPlacedSchema = z.object({
  ...bookingRef,
  societyId: z.string().uuid(),
  placedAt: z.string(),
});

type Ev<T extends string, S extends z.ZodType> = DomainEvent<T, z.infer<S>>;
export type BookingConfirmed = Ev<'BookingConfirmed', typeof bookingConfirmedSchema>;
export type BookingWaitlisted = Ev<'BookingWaitlisted', typeof bookingWaitlistedSchema>;
export type BookingPromoted = Ev<'BookingPromoted', typeof bookingPromotedSchema>;
export type BookingCanceled = Ev<'BookingCanceled', typeof bookingCanceledSchema>;
export type AttendanceMarked = Ev<'AttendanceMarked', typeof attendanceMarkedSchema>;
/** What bookings append to the class stream. */
export type ClassBookingEvent =
  BookingConfirmed | BookingWaitlisted | BookingPromoted | BookingCanceled | AttendanceMarked;

export type BookingSlotClaimed = Ev<'BookingSlotClaimed', typeof bookingSlotClaimedSchema>;
export type BookingSlotReleased = Ev<'BookingSlotReleased', typeof bookingSlotReleasedSchema>;
export type BookingSlotMoved = Ev<'BookingSlotMoved', typeof bookingSlotMovedSchema>;
export type BookingPlaced = Ev<'BookingPlaced', typeof bookingPlacedSchema>;
export type BookingQuotaEvent = BookingSlotClaimed | BookingSlotReleased | BookingSlotMoved;

export const CLASS_BOOKING_EVENT_TYPES = [
  'BookingConfirmed',
  'BookingWaitlisted',
  'BookingPromoted',
  'BookingCanceled',
  'AttendanceMarked',
] as const satisfies readonly ClassBookingEvent['type'][];
/** What the bookings read model keeps of the quota streams (it keeps no times, so no moves). */
export const BOOKING_QUOTA_EVENT_TYPES = [
  'BookingSlotClaimed',
  'BookingSlotReleased',
] as const satisfies readonly BookingQuotaEvent['type'][];
