import { LRUCache } from 'lru-cache';
import { streams } from '../../events/streams';
import type { PendingClaim } from '../../projections/booking/bookingQueries';

export type { PendingClaim };
import type { Position } from '../../events/store/position';
import type { Attendance } from '../../events/booking/bookingEvents';
import {
  CommandRefusedError,
  type CommandHandler,
  type CommandMetadata,
  type CommandOutcome,
} from '../handling/commandHandler';
import { refuse } from '../handling/decider';
import { coveringSteps, reserveThenAct } from '../handling/saga';
import { memberDecider } from '../members/memberDecider';
import { loadBookingPolicy } from './bookingPolicy';
import { bookingWeekOf } from './bookingWeek';
import { classSeatsDecider, type ClassSeatsEvent, type ClassSeatsState } from './classSeatsDecider';
import { ClassFacts, type ClassFact } from './classFacts';
import { recordPlacement } from './bookingPlacement';
import { SeatDesk } from './seatDesk';
import { reconcileBookingClaim } from './bookingReconciliation';
import { bookingEnded, weeklyQuotaDecider } from './weeklyQuotaDecider';
import {
  claimWeeklySlot,
  releaseSlotsOfCanceledBookings,
  releaseWeeklySlot,
  slotReleases,
} from './weeklySlots';

/** The billing port booking depends on (billing's `SubscriptionEligibility` has this shape). */
export interface SubscriptionCheck {
  isActiveAt(memberId: string, at: Date): Promise<boolean>;
}

/** Test hooks: code that runs between the steps of a booking, to inject a crash there. */
export interface BookingHooks {
  /** Runs after the weekly slot is claimed, before the seat is taken. Throwing here is a crash. */
  afterSlotClaimed?: () => Promise<void>;
}

export interface BookClassInput {
  bookingId: string;
  classId: string;
  memberId: string;
  /** The user who asked (the member, or an admin booking for them). */
  bookedBy: string | null;
}

export interface BookingOutcome extends CommandOutcome<ClassSeatsEvent> {
  readonly bookingId: string;
}

const APPROVED_CAPACITY = 100_000;

const refused = (type: string, status: 404 | 409 | 422, title: string, detail?: string) =>
  new CommandRefusedError(refuse(type, status, title, detail));

/**
 * Booking: reserve, then act, then compensate (docs/architecture.md, "Rules across streams", 1). The member's weekly slot
 * is claimed in `booking-quota-<member>-<week>`, then the class stream decides seat or waitlist;
 * if the class refuses, the slot is given back. A crash between the two steps leaves a claim with
 * no class outcome, which the booking reconciler completes or releases.
 */
export class BookingCommands {
  private readonly classes: ClassFacts;
  private readonly seats: SeatDesk;

  constructor(
    private readonly commands: CommandHandler,
    private readonly subscriptions: SubscriptionCheck,
    private readonly hooks: BookingHooks = {},
  ) {
    this.classes = new ClassFacts(commands);
    this.seats = new SeatDesk(commands);
  }

  /** What a booking needs to know about a class (society, name, times), from a short-lived cache. */
  classFact(classId: string): Promise<ClassFact | undefined> {
    return this.classes.get(classId);
  }

  /**
   * Members known to be approved, with their society. A membership decision is final (pending →
   * approved or rejected, once) and a member never changes society, so this is never stale; it
   * spares a member's stream (and its personal-data key lookup) on every booking after the first.
   */
  private readonly approved = new LRUCache<string, string>({ max: APPROVED_CAPACITY });

  /** An approved member of the class's society (see `approved`); refuses otherwise. */
  private async ensureApprovedMember(memberId: string, societyId: string) {
    const known = this.approved.get(memberId);
    if (known === undefined) {
      const { state } = await this.commands.load(streams.member(memberId), memberDecider);
      if (!state.exists) throw refused('member-not-found', 404, 'Member not found', `No member ${memberId}`);
      if (state.societyId !== societyId)
        throw refused('member-not-eligible', 422, 'Only members of the class’s society may book it');
      if (state.status !== 'approved')
        throw refused(
          'member-not-approved',
          422,
          'Only approved members may book',
          `This membership is ${state.status}.`,
        );
      this.approved.set(memberId, societyId);
    } else if (known !== societyId)
      throw refused('member-not-eligible', 422, 'Only members of the class’s society may book it');
  }

  async book(input: BookClassInput, metadata: CommandMetadata): Promise<BookingOutcome> {
    const now = this.commands.now();
    const classStream = streams.class(input.classId);
    // One wave of reads (one round trip where the store coalesces). The class's facts come first
    // only when they are not cached (the route has just asked for them, so they usually are): the
    // society and week they give name the member's policy and quota reads. The class stream is
    // read once for both its folds (the facts, the seat desk's seats).
    const seatsRead = this.commands.view(classStream, classSeatsDecider);
    const subscribedRead = this.subscriptions.isActiveAt(input.memberId, now);
    const cls = await this.classes.get(input.classId);
    if (!cls) {
      await Promise.allSettled([seatsRead, subscribedRead]);
      throw refused('class-not-found', 404, 'Class not found', `No class (event) ${input.classId}`);
    }
    const week = bookingWeekOf(cls.date);
    const [seats, subscribed, , policy] = await Promise.all([
      seatsRead,
      subscribedRead,
      this.ensureApprovedMember(input.memberId, cls.societyId),
      // Read fresh every time: a changed limit applies to the very next booking.
      loadBookingPolicy(this.commands, cls.societyId),
      // The weekly slot's stream is read beside the checks, not after them.
      this.commands.prefetch(streams.bookingQuota(input.memberId, week), weeklyQuotaDecider),
    ]);
    const times = this.currentTimes(input.classId, cls, seats);
    if (!subscribed)
      throw refused(
        'subscription-required',
        422,
        'An active subscription is needed to book',
        input.bookedBy === input.memberId
          ? 'Subscribe to a plan of your society, then book.'
          : 'This member has no active subscription: subscribe them to a plan of their society (and record the payment), then book.',
      );
    const seatCommand = {
      type: 'BookSeat' as const,
      bookingId: input.bookingId,
      memberId: input.memberId,
      societyId: cls.societyId,
      week,
      startsAt: times.startsAt,
      endsAt: times.endsAt,
      bookedBy: input.bookedBy,
      societyMaxMembersPerEvent: policy.maxMembersPerEvent,
    };
    const seatMetadata = { ...metadata, commandType: 'BookSeat' };
    const outcome = await reserveThenAct({
      // A booking the class would refuse anyway (canceled, started, already booked) claims nothing.
      precheck: () =>
        this.commands.check(streams.class(input.classId), classSeatsDecider, seatCommand, seatMetadata),
      reserve: async () => {
        const claim = await claimWeeklySlot(
          this.commands,
          {
            bookingId: input.bookingId,
            classId: input.classId,
            memberId: input.memberId,
            societyId: cls.societyId,
            week,
            limit: policy.weeklyLimit,
            ...times,
            requestedBy: input.bookedBy,
          },
          metadata,
        );
        // A retried request is answered from its first outcome, whatever the slot did since: if the
        // slot was given back (the booking was refused or canceled), the same id must not take a seat.
        if (claim.replayed) await this.ensureSlotHeld(input.memberId, week, input.bookingId);
        await this.hooks.afterSlotClaimed?.();
        return claim;
      },
      act: async (claim) => ({
        ...coveringSteps(await this.seats.takeSeat(input.classId, seatCommand, seatMetadata), [claim]),
        bookingId: input.bookingId,
      }),
      compensate: () => {
        this.classes.forget(input.classId);
        return releaseWeeklySlot(
          this.commands,
          { memberId: input.memberId, week, bookingId: input.bookingId, reason: 'booking-refused' },
          metadata,
        );
      },
    });
    // The seat desk wrote the placement with the seat. A replayed booking (a retry) may have been
    // seated before placements went with seats, or on esdb by a request that crashed between the
    // two appends: record it if it is missing (a no-op when it is there), before the answer, so a
    // cancellation sent the moment the answer arrives finds the booking.
    if (outcome.replayed || outcome.events.length === 0)
      await recordPlacement(this.commands, { ...input, societyId: cls.societyId }, metadata);
    return outcome;
  }

  /**
   * The class's times as the seat desk's view of its stream has them (current for every reschedule
   * this process recorded), not the facts cache's, which may be up to its freshness old: the slot
   * must hold the member's time where the class is now. A cached fact found stale is dropped.
   */
  private currentTimes(
    classId: string,
    fact: ClassFact,
    seats: { state: ClassSeatsState; revision: number | undefined },
  ): { startsAt: string; endsAt: string; classRevision?: number } {
    const { cls } = seats.state;
    if (!cls.exists) return { startsAt: fact.startsAt, endsAt: fact.endsAt };
    if (cls.startsAt !== fact.startsAt || cls.endsAt !== fact.endsAt) this.classes.forget(classId);
    return { startsAt: cls.startsAt, endsAt: cls.endsAt, classRevision: seats.revision };
  }

  private async ensureSlotHeld(memberId: string, week: string, bookingId: string) {
    const { state } = await this.commands.load(streams.bookingQuota(memberId, week), weeklyQuotaDecider);
    if (!state.held.has(bookingId)) throw new CommandRefusedError(bookingEnded(bookingId));
  }

  /**
   * Cancels a seat or waitlist place; a freed seat promotes the head of the waitlist in the same
   * append, and the weekly slot goes back in the same call (after it: see `slotReleases`).
   * `societyId` is the booking's placement's when the caller has it; else the class's facts say.
   */
  async cancel(
    input: {
      classId: string;
      bookingId: string;
      canceledBy: string | null;
      byAdmin: boolean;
      societyId?: string;
    },
    metadata: CommandMetadata,
  ): Promise<CommandOutcome<ClassSeatsEvent>> {
    const classStream = streams.class(input.classId);
    const seatsRead = this.commands.view(classStream, classSeatsDecider);
    const societyId = input.societyId ?? (await this.classes.get(input.classId))?.societyId;
    if (!societyId) {
      await Promise.allSettled([seatsRead]);
      throw refused('class-not-found', 404, 'Class not found', `No class (event) ${input.classId}`);
    }
    // One wave where the class's state is cached (it usually is): the policy, and the weekly slot
    // the booking holds (so its release is decided without a read in front of the append).
    const policyRead = loadBookingPolicy(this.commands, societyId);
    const holder = (await seatsRead).state.seats.bookings.get(input.bookingId);
    const [policy] = await Promise.all([
      policyRead,
      holder &&
        this.commands.prefetch(streams.bookingQuota(holder.memberId, holder.week), weeklyQuotaDecider),
    ]);
    const outcome = await this.commands.handle(
      classStream,
      classSeatsDecider,
      {
        type: 'CancelBooking',
        bookingId: input.bookingId,
        canceledBy: input.canceledBy,
        byAdmin: input.byAdmin,
        cancellationCutoffMinutes: policy.cancellationCutoffMinutes,
        societyMaxMembersPerEvent: policy.maxMembersPerEvent,
      },
      { ...metadata, commandType: 'CancelBooking' },
      { alongside: (decision, ctx) => slotReleases(this.commands, decision, metadata, ctx) },
    );
    if (outcome.events.length === 0)
      // Canceled already (a concurrent cancel won the race, or the class was canceled): answer at
      // the position of the cancellation that did it, so the answer waits until the read side
      // shows it canceled instead of reading a status from before.
      return { ...outcome, position: await this.cancellationPosition(input.classId, input.bookingId) };
    // A replayed cancellation (a retry) gives back whatever its first run left held (a no-op when
    // the release went with it); a fresh one released its slot in the same call.
    if (!outcome.replayed) return outcome;
    return coveringSteps(
      outcome,
      await releaseSlotsOfCanceledBookings(this.commands, outcome.events, metadata),
    );
  }

  /** Where the booking's cancellation stands in `$all` (a read of the class stream: the rare path). */
  private async cancellationPosition(classId: string, bookingId: string): Promise<Position | undefined> {
    const { events } = await this.commands.load(streams.class(classId), classSeatsDecider);
    return events.findLast(
      (e) => e.type === 'BookingCanceled' && (e.data as { bookingId?: string }).bookingId === bookingId,
    )?.position;
  }

  markAttendance(
    input: { classId: string; bookingId: string; attendance: Attendance; markedBy: string | null },
    metadata: CommandMetadata,
  ): Promise<CommandOutcome<ClassSeatsEvent>> {
    return this.commands.handle(
      streams.class(input.classId),
      classSeatsDecider,
      {
        type: 'MarkAttendance',
        bookingId: input.bookingId,
        attendance: input.attendance,
        markedBy: input.markedBy,
      },
      { ...metadata, commandType: 'MarkAttendance' },
    );
  }

  /** Heals a weekly slot claimed with no live booking behind it (see bookingReconciliation.ts). */
  reconcile(claim: PendingClaim): Promise<'settled' | 'completed' | 'released'> {
    return reconcileBookingClaim(this.commands, claim);
  }

  /** Waitlist places of a class that has started end, and give their weekly slots back. */
  async expireWaitlist(classId: string, metadata: CommandMetadata): Promise<CommandOutcome<ClassSeatsEvent>> {
    const outcome = await this.commands.handle(
      streams.class(classId),
      classSeatsDecider,
      { type: 'ExpireWaitlist' },
      { ...metadata, commandType: 'ExpireWaitlist' },
    );
    return coveringSteps(
      outcome,
      await releaseSlotsOfCanceledBookings(this.commands, outcome.events, metadata),
    );
  }
}
