import { randomUUID } from 'node:crypto';
import type { ZodType } from 'zod';
import { billingStreams } from '../../src/commands/billing/billingStreams';
import { localToInstant } from '../../src/events/classes/classTime';
import { addDays, datesOfIsoWeek, isoWeekOf } from '../../src/commands/schedules/isoWeek';
import type { InvoiceNumberAssigned, PaymentEvent } from '../../src/events/billing/paymentEvents';
import {
  invoiceIssuedSchema,
  invoiceNumberAssignedSchema,
  paymentCompletedSchema,
  paymentFailedSchema,
  paymentInitiatedSchema,
  paymentRefundedSchema,
  refundFailedSchema,
  refundRequestedSchema,
  paymentStatusCheckedSchema,
} from '../../src/events/billing/paymentEvents';
import type { PlanEvent } from '../../src/events/billing/planEvents';
import { planChangedSchema, planCreatedSchema, planRetiredSchema } from '../../src/events/billing/planEvents';
import type { SubscriptionEvent } from '../../src/events/billing/subscriptionEvents';
import {
  subscriptionActivatedSchema,
  subscriptionCancelledSchema,
  subscriptionExpiredSchema,
  subscriptionExpiryNoticeGivenSchema,
  subscriptionPaymentFailedSchema,
  subscriptionPaymentOpenedSchema,
  subscriptionRequestedSchema,
  subscriptionShortenedSchema,
} from '../../src/events/billing/subscriptionEvents';
import type {
  BookingCanceled,
  BookingPromoted,
  BookingQuotaEvent,
  ClassBookingEvent,
} from '../../src/events/booking/bookingEvents';
import {
  attendanceMarkedSchema,
  bookingCanceledSchema,
  bookingConfirmedSchema,
  bookingPromotedSchema,
  bookingSlotClaimedSchema,
  bookingSlotMovedSchema,
  bookingSlotReleasedSchema,
  bookingWaitlistedSchema,
} from '../../src/events/booking/bookingEvents';
import type { ClassEvent } from '../../src/events/classes/classEvents';
import {
  activityAddedSchema,
  activityChangedSchema,
  classCanceledSchema,
  classDetailsChangedSchema,
  classRescheduledSchema,
  classScheduledSchema,
  trainerAssignedToClassSchema,
} from '../../src/events/classes/classEvents';
import type { UserEvent } from '../../src/events/identity/userEvents';
import {
  phoneVerifiedSchema,
  userRegisteredSchema,
  userStatusChangedSchema,
} from '../../src/events/identity/userEvents';
import type { MemberEvent } from '../../src/events/members/memberEvents';
import {
  memberDecidedSchema,
  memberOnboardedSchema,
  memberProfileChangedSchema,
} from '../../src/events/members/memberEvents';
import type { NotificationEvent } from '../../src/events/notifications/notificationEvents';
import { notificationScheduledSchema } from '../../src/events/notifications/notificationEvents';
import type { ScheduleTemplateEvent } from '../../src/events/schedules/scheduleTemplateEvents';
import {
  scheduleTemplateAddedSchema,
  scheduleTemplateChangedSchema,
  scheduleTemplateRemovedSchema,
} from '../../src/events/schedules/scheduleTemplateEvents';
import type { WeekScheduleEvent } from '../../src/events/schedules/weekScheduleEvents';
import { weekScheduleGeneratedSchema } from '../../src/events/schedules/weekScheduleEvents';
import type { SocietyEvent } from '../../src/events/societies/societyEvents';
import {
  societyAdminGrantedSchema,
  societyDetailsChangedSchema,
  societyRegisteredSchema,
} from '../../src/events/societies/societyEvents';
import type { ExpectedRevision, NewEvent } from '../../src/events/store/eventStore';
import { streams } from '../../src/events/streams';
import type { TrainerDayEvent, TrainerEvent, Weekday } from '../../src/events/trainers/trainerEvents';
import {
  trainerAvailabilitySetSchema,
  trainerProfileCreatedSchema,
  trainerProfileUpdatedSchema,
  trainerSlotClaimedSchema,
  trainerSlotReleasedSchema,
} from '../../src/events/trainers/trainerEvents';
import type { UniqueClaimEvent } from '../../src/events/uniqueness/uniqueClaimEvents';
import {
  uniqueValueClaimedSchema,
  uniqueValueReleasedSchema,
} from '../../src/events/uniqueness/uniqueClaimEvents';

/**
 * The history the projections benchmark rebuilds: whole societies living through HISTORY_WEEKS
 * weeks up to now, built in memory (pure, no I/O) and appended by seed.ts. Decisions come from a
 * PRNG seeded per society, so every run has the same shape (ids are random, counts are not).
 *
 * Per society (one society ≈ 2,500 events; 100,000 events ≈ 41 societies). The mix over a whole
 * history: bookings 35%, weekly-quota claims and releases 21%, billing 24%, unique-value claims
 * 7%, members and users 6.5%, classes 3%, trainers and trainer days 3%, the rest 1%.
 *
 * - setup (≈ 17%): the society (registered, details changed, a second admin granted), two admins,
 *   4 trainers (account, profile, availability), 3 plans, 8 weekly schedule templates (one
 *   changed, one added and removed), 32 members (email and phone claims, account, application,
 *   decision — 1 in 10 rejected —, some phones verified) each with a paid monthly or quarterly
 *   subscription.
 * - every week (≈ 10–14% each):
 *   - the next week's 8 classes from the templates (trainer-day claim, class, an activity for
 *     half of them) and the week's schedule record;
 *   - bookings (with their quota streams ≈ 56% of all events): each member with a live subscription books 0–3 of them (a
 *     weekly limit of 3, popular classes fill up and waitlist); per booking a weekly-quota claim
 *     and a confirmation or waitlist place; ≈ 8% canceled by the member (with the promotion of the
 *     waitlist's head in the same append, and the quota released); waitlists still queued when
 *     the class starts expire;
 *   - class changes: ≈ 8% rescheduled (trainer-day slot moved), 4% canceled with every booking,
 *     4% handed to another trainer, 3% renamed; attendance marked for every seat held when the
 *     class ran (85% present);
 *   - billing: subscriptions ending this week get an expiry notice, 90% are renewed
 *     (request, transaction-id claim, payment initiated, sometimes a status check, 5% failing
 *     once before a retry, completed, activated, invoice number, invoice), the rest expire;
 *     3% of purchases are refunded in full (subscription cancelled) and 3% in part (shortened);
 *   - two new applicants, a profile change or two, a trainer profile update now and then, an
 *     admin-scheduled notification; plans change and retire in some weeks.
 * - the current week so far: attendance for the classes that have run, late cancellations.
 *
 * The unique-value claims, invoice numbers and week records are handled by no read model: a
 * rebuild still reads them, as it would in production.
 */

export const HISTORY_WEEKS = 6;

/** One append as the seed makes it, with the revision the stream must be at. */
export interface PlannedAppend {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly NewEvent[];
}

/** A society's appends, phase by phase: phase 0 is the setup, then one per week, then "this week". */
export type SocietyHistory = readonly (readonly PlannedAppend[])[];

export interface Histories {
  readonly societies: readonly SocietyHistory[];
  readonly events: number;
  /** When the simulated history begins: seed.ts spreads `created_at` from here to now. */
  readonly startsAt: Date;
}

type SeedEvent =
  | SocietyEvent
  | UserEvent
  | MemberEvent
  | TrainerEvent
  | TrainerDayEvent
  | PlanEvent
  | SubscriptionEvent
  | PaymentEvent
  | InvoiceNumberAssigned
  | ClassEvent
  | ClassBookingEvent
  | BookingQuotaEvent
  | ScheduleTemplateEvent
  | WeekScheduleEvent
  | NotificationEvent
  | UniqueClaimEvent;

/** The schema each projection parses an event type with: every seeded payload must pass it. */
const SCHEMAS: Record<SeedEvent['type'], ZodType> = {
  SocietyRegistered: societyRegisteredSchema,
  SocietyDetailsChanged: societyDetailsChangedSchema,
  SocietyAdminGranted: societyAdminGrantedSchema,
  UserRegistered: userRegisteredSchema,
  PhoneVerified: phoneVerifiedSchema,
  UserDeactivated: userStatusChangedSchema,
  UserReactivated: userStatusChangedSchema,
  MemberOnboarded: memberOnboardedSchema,
  MemberProfileChanged: memberProfileChangedSchema,
  MemberApproved: memberDecidedSchema,
  MemberRejected: memberDecidedSchema,
  TrainerProfileCreated: trainerProfileCreatedSchema,
  TrainerProfileUpdated: trainerProfileUpdatedSchema,
  TrainerAvailabilitySet: trainerAvailabilitySetSchema,
  TrainerSlotClaimed: trainerSlotClaimedSchema,
  TrainerSlotReleased: trainerSlotReleasedSchema,
  PlanCreated: planCreatedSchema,
  PlanChanged: planChangedSchema,
  PlanRetired: planRetiredSchema,
  SubscriptionRequested: subscriptionRequestedSchema,
  SubscriptionPaymentOpened: subscriptionPaymentOpenedSchema,
  SubscriptionPaymentFailed: subscriptionPaymentFailedSchema,
  SubscriptionActivated: subscriptionActivatedSchema,
  SubscriptionShortened: subscriptionShortenedSchema,
  SubscriptionCancelled: subscriptionCancelledSchema,
  SubscriptionExpired: subscriptionExpiredSchema,
  SubscriptionExpiryNoticeGiven: subscriptionExpiryNoticeGivenSchema,
  PaymentInitiated: paymentInitiatedSchema,
  PaymentCompleted: paymentCompletedSchema,
  PaymentFailed: paymentFailedSchema,
  PaymentRefunded: paymentRefundedSchema,
  RefundRequested: refundRequestedSchema,
  RefundFailed: refundFailedSchema,
  PaymentStatusChecked: paymentStatusCheckedSchema,
  InvoiceIssued: invoiceIssuedSchema,
  InvoiceNumberAssigned: invoiceNumberAssignedSchema,
  ClassScheduled: classScheduledSchema,
  ClassDetailsChanged: classDetailsChangedSchema,
  ClassRescheduled: classRescheduledSchema,
  TrainerAssignedToClass: trainerAssignedToClassSchema,
  ClassCanceled: classCanceledSchema,
  ClassActivityAdded: activityAddedSchema,
  ClassActivityChanged: activityChangedSchema,
  BookingConfirmed: bookingConfirmedSchema,
  BookingWaitlisted: bookingWaitlistedSchema,
  BookingPromoted: bookingPromotedSchema,
  BookingCanceled: bookingCanceledSchema,
  AttendanceMarked: attendanceMarkedSchema,
  BookingSlotClaimed: bookingSlotClaimedSchema,
  BookingSlotReleased: bookingSlotReleasedSchema,
  BookingSlotMoved: bookingSlotMovedSchema,
  ScheduleTemplateAdded: scheduleTemplateAddedSchema,
  ScheduleTemplateChanged: scheduleTemplateChangedSchema,
  ScheduleTemplateRemoved: scheduleTemplateRemovedSchema,
  WeekScheduleGenerated: weekScheduleGeneratedSchema,
  NotificationScheduled: notificationScheduledSchema,
  UniqueValueClaimed: uniqueValueClaimedSchema,
  UniqueValueReleased: uniqueValueReleasedSchema,
};

/** Throws on the first payload its projection's schema would refuse: a seed bug, not a bench result. */
export const checkPayloads = (histories: Histories): void => {
  for (const phases of histories.societies)
    for (const phase of phases)
      for (const append of phase)
        for (const event of append.events) {
          const schema = SCHEMAS[event.type as SeedEvent['type']];
          const parsed = schema?.safeParse(event.data);
          if (!parsed?.success)
            throw new Error(`seed: ${event.type} in ${append.streamId} fails its schema: ${parsed?.error}`);
        }
};

/** Societies, each a whole history, until at least `targetEvents` events. */
export const planHistories = (targetEvents: number, now: Date): Histories => {
  const currentMonday = datesOfIsoWeek(isoWeekOf(now.toISOString().slice(0, 10)))[0]!;
  const firstMonday = addDays(currentMonday, -7 * HISTORY_WEEKS);
  const societies: SocietyHistory[] = [];
  let events = 0;
  while (events < targetEvents) {
    const history = societyHistory(societies.length, firstMonday, now);
    societies.push(history);
    events += history.flat().reduce((n, append) => n + append.events.length, 0);
  }
  return { societies, events, startsAt: new Date(`${firstMonday}T00:00:00Z`) };
};

// ---------------------------------------------------------------------------------------------
// The simulation: a society's state, advanced week by week, recording what the commands would.

const DAY_MS = 86_400_000;
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEKLY_LIMIT = 3;
const TIME_ZONE = 'Asia/Kolkata';
const PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0$YmVuY2hoYXNoYmVuY2hoYXNo';

/** mulberry32: small, fast, and the same sequence for the same seed. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

interface Plan {
  id: string;
  name: string;
  price: string;
  durationInDays: number;
}

interface Subscription {
  id: string;
  plan: Plan;
  paymentId: string;
  endsAt: number;
}

interface Member {
  id: string;
  userId: string | null;
  name: string;
  email: string;
  phoneNumber: string;
  approved: boolean;
  subscription: Subscription | undefined;
}

interface Trainer {
  id: string;
  name: string;
}

interface Template {
  id: string;
  name: string;
  weekday: number;
  start: number;
  end: number;
  classType: string;
  maxMembers: number;
  trainerId: string;
  popularity: number;
}

interface Booking {
  id: string;
  memberId: string;
  status: 'confirmed' | 'waitlist' | 'canceled';
}

interface Class {
  id: string;
  name: string;
  date: string;
  week: string;
  start: number;
  end: number;
  startsAt: string;
  endsAt: string;
  trainerId: string;
  capacity: number;
  canceled: boolean;
  popularity: number;
  bookings: Booking[];
  /** Booking ids, first come first served. */
  waitlist: string[];
}

const CLASS_KINDS = [
  { name: 'Sunrise Yoga', classType: 'yoga', specialization: 'yoga' },
  { name: 'HIIT Blast', classType: 'hiit', specialization: 'hiit' },
  { name: 'Zumba Party', classType: 'zumba', specialization: 'dance' },
  { name: 'Core Pilates', classType: 'pilates', specialization: 'pilates' },
  { name: 'Strength Circuit', classType: 'strength', specialization: 'strength' },
] as const;

/** Weekly slots a society runs: distinct times, so a member's bookings never overlap. */
const TEMPLATE_SLOTS: ReadonlyArray<{ weekday: number; start: number; kind: number }> = [
  { weekday: 0, start: 6 * 60 + 30, kind: 0 },
  { weekday: 1, start: 18 * 60, kind: 1 },
  { weekday: 2, start: 6 * 60 + 30, kind: 0 },
  { weekday: 2, start: 19 * 60, kind: 4 },
  { weekday: 3, start: 18 * 60, kind: 1 },
  { weekday: 4, start: 7 * 60, kind: 3 },
  { weekday: 5, start: 9 * 60, kind: 2 },
  { weekday: 6, start: 8 * 60, kind: 3 },
];

class SocietyWeeks {
  private readonly random: () => number;
  private readonly revisions = new Map<string, number>();
  private readonly phases: PlannedAppend[][] = [];
  private readonly societyId: string = randomUUID();
  private readonly admins: readonly string[] = [randomUUID(), randomUUID()];
  private readonly trainers: Trainer[] = [];
  private readonly plans: Plan[] = [];
  private readonly templates: Template[] = [];
  private readonly members: Member[] = [];
  /** Classes by the ISO week they run in. */
  private readonly classesByWeek = new Map<string, Class[]>();
  private invoiceNumber = 0;
  private people = 0;

  constructor(
    private readonly index: number,
    private readonly firstMonday: string,
    private readonly now: Date,
  ) {
    this.random = prng(0x5eed + index * 7919);
  }

  history(): SocietyHistory {
    this.phase();
    this.setUp();
    for (let week = 0; week < HISTORY_WEEKS; week++) {
      this.phase();
      this.liveWeek(week);
    }
    this.phase();
    this.currentWeekSoFar();
    return this.phases;
  }

  // --- time -----------------------------------------------------------------------------------

  private dateOf(week: number, weekday: number): string {
    return addDays(this.firstMonday, week * 7 + weekday);
  }

  /** An instant on a history date, `minute` minutes after its midnight (UTC: payloads only). */
  private at(date: string, minute: number): string {
    return new Date(Date.parse(`${date}T00:00:00Z`) + minute * 60_000).toISOString();
  }

  private minuteOfDay(): number {
    return 7 * 60 + Math.floor(this.random() * 14 * 60);
  }

  // --- recording --------------------------------------------------------------------------------

  private phase(): void {
    this.phases.push([]);
  }

  /** One append to `streamId` at the revision this simulation has it at, with command metadata. */
  private append(streamId: string, events: readonly SeedEvent[], actor: string | null = null): void {
    const current = this.revisions.get(streamId);
    const commandId = randomUUID();
    this.phases[this.phases.length - 1]!.push({
      streamId,
      expectedRevision: current ?? 'no_stream',
      events: events.map((e) => ({
        id: randomUUID(),
        type: e.type,
        data: e.data,
        metadata: {
          commandId,
          commandType: e.type,
          correlationId: commandId,
          causationId: commandId,
          ...(actor ? { actor: { id: actor, role: this.roleOf(actor) } } : {}),
        },
      })),
    });
    this.revisions.set(streamId, (current ?? -1) + events.length);
  }

  private roleOf(userId: string): string {
    if (this.admins.includes(userId)) return 'society_admin';
    return this.trainers.some((t) => t.id === userId) ? 'trainer' : 'member';
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private claimUnique(streamId: string, owner: string, kind: string): void {
    this.append(streamId, [{ type: 'UniqueValueClaimed', data: { owner, kind } }]);
  }

  // --- setup ------------------------------------------------------------------------------------

  private setUp(): void {
    const { societyId } = this;
    const day0 = this.dateOf(0, 0);
    const name = `Bench Society ${this.index}`;
    for (const [i, adminId] of this.admins.entries())
      this.registerUser(adminId, 'society_admin', `Admin ${i}`);
    this.claimUnique(streams.uniqueSocietyName(name.toLowerCase()), societyId, 'society-name');
    this.append(
      streams.society(societyId),
      [
        {
          type: 'SocietyRegistered',
          data: {
            societyId,
            registeredBy: this.admins[0]!,
            name,
            location: `Sector ${this.index}, Bengaluru`,
            maxMembersPerEvent: 20,
            capacity: 400,
            timezone: TIME_ZONE,
            latitude: 12.9 + this.index / 1000,
            longitude: 77.6,
          },
        },
      ],
      this.admins[0]!,
    );
    this.append(
      streams.society(societyId),
      [{ type: 'SocietyDetailsChanged', data: { societyId, changes: { capacity: 500 } } }],
      this.admins[0]!,
    );
    this.append(
      streams.society(societyId),
      [
        {
          type: 'SocietyAdminGranted',
          data: { societyId, userId: this.admins[1]!, grantedBy: this.admins[0]! },
        },
      ],
      this.admins[0]!,
    );
    for (let i = 0; i < 4; i++) this.addTrainer(i);
    this.createPlan('Monthly', '1500.00', 30);
    this.createPlan('Quarterly', '4000.00', 90);
    this.addTemplates();
    for (let i = 0; i < 32; i++) {
      const member = this.applyForMembership(0.1);
      if (member.approved) {
        // Joined some time before the history starts, so renewals fall across its weeks.
        const paidDay = addDays(day0, -1 - Math.floor(this.random() * 29));
        this.buySubscription(member, this.plans[this.chance(0.8) ? 0 : 1]!, paidDay, null);
      }
    }
  }

  private registerUser(userId: string, role: 'member' | 'trainer' | 'society_admin', name: string) {
    const n = this.people++;
    const email = `${role}${n}.s${this.index}@bench.example`;
    const phoneNumber = `+91${String(7_000_000_000 + this.index * 100_000 + n)}`;
    this.claimUnique(streams.uniqueEmail(email), userId, 'email');
    this.claimUnique(streams.uniquePhone(phoneNumber), userId, 'phone-number');
    this.append(streams.user(userId), [
      {
        type: 'UserRegistered',
        data: {
          userId,
          name,
          email,
          phoneNumber,
          role,
          passwordHash: PASSWORD_HASH,
          societyId: role === 'member' ? this.societyId : null,
          trainer:
            role === 'trainer'
              ? {
                  specialization: ['fitness'],
                  location: { address: 'Bengaluru', latitude: 12.97, longitude: 77.59 },
                }
              : null,
        },
      },
    ]);
    if (this.chance(0.5))
      this.append(streams.user(userId), [{ type: 'PhoneVerified', data: { userId, phoneNumber } }]);
    return { email, phoneNumber };
  }

  private addTrainer(i: number): void {
    const trainerId = randomUUID();
    const name = `Trainer ${i} of ${this.index}`;
    const { email, phoneNumber } = this.registerUser(trainerId, 'trainer', name);
    const specialization = CLASS_KINDS.filter((_, k) => k % 4 === i % 4 || k === i).map(
      (k) => k.specialization,
    );
    this.append(streams.trainer(trainerId), [
      {
        type: 'TrainerProfileCreated',
        data: {
          trainerId,
          createdBy: null,
          name,
          email,
          phoneNumber,
          specialization: specialization.length ? specialization : ['fitness'],
          location: { address: `Studio ${i}, Bengaluru`, latitude: 12.97, longitude: 77.59 },
          maxClassesPerDay: 4,
        },
      },
    ]);
    this.append(streams.trainer(trainerId), [
      {
        type: 'TrainerAvailabilitySet',
        data: {
          trainerId,
          availability: {
            weekly: WEEKDAYS.map((weekday) => ({ weekday, start: 6 * 60, end: 21 * 60 })),
            slots: [],
            unavailable: [],
          },
        },
      },
    ]);
    this.trainers.push({ id: trainerId, name });
  }

  private createPlan(name: string, price: string, durationInDays: number): Plan {
    const plan = { id: randomUUID(), name, price, durationInDays };
    this.claimUnique(billingStreams.planName(this.societyId, name), plan.id, 'plan-name');
    this.append(
      streams.plan(plan.id),
      [
        {
          type: 'PlanCreated',
          data: {
            planId: plan.id,
            societyId: this.societyId,
            createdBy: this.admins[0]!,
            name,
            price,
            currency: 'INR',
            durationInDays,
          },
        },
      ],
      this.admins[0]!,
    );
    this.plans.push(plan);
    return plan;
  }

  private addTemplates(): void {
    const stream = streams.scheduleTemplates(this.societyId);
    for (const [i, slot] of TEMPLATE_SLOTS.entries()) {
      const kind = CLASS_KINDS[slot.kind]!;
      const template: Template = {
        id: randomUUID(),
        name: kind.name,
        weekday: slot.weekday,
        start: slot.start,
        end: slot.start + 60,
        classType: kind.classType,
        maxMembers: 10 + (i % 5),
        trainerId: this.trainers[i % this.trainers.length]!.id,
        // Early mornings and weekends fill up; a few slots never do.
        popularity: 0.4 + this.random() * 1.4,
      };
      this.append(stream, [{ type: 'ScheduleTemplateAdded', data: this.templateAdded(template) }]);
      this.templates.push(template);
    }
    const changed = this.templates[0]!;
    changed.maxMembers += 2;
    this.append(stream, [
      {
        type: 'ScheduleTemplateChanged',
        data: {
          societyId: this.societyId,
          templateId: changed.id,
          changes: { maxMembers: changed.maxMembers },
        },
      },
    ]);
    const trial: Template = { ...changed, id: randomUUID(), name: 'Trial Slot', weekday: 6, start: 20 * 60 };
    this.append(stream, [{ type: 'ScheduleTemplateAdded', data: this.templateAdded(trial) }]);
    this.append(stream, [
      {
        type: 'ScheduleTemplateRemoved',
        data: { societyId: this.societyId, templateId: trial.id, removedBy: this.admins[1]! },
      },
    ]);
  }

  private templateAdded(t: Template) {
    return {
      societyId: this.societyId,
      templateId: t.id,
      addedBy: this.admins[0]!,
      name: t.name,
      weekday: WEEKDAYS[t.weekday]!,
      start: t.start,
      end: t.end,
      classType: t.classType,
      maxMembers: t.maxMembers,
      preferredTrainerId: t.trainerId,
    };
  }

  // --- membership -------------------------------------------------------------------------------

  /** Self-registration (most) or an admin onboarding someone; then the admin's decision. */
  private applyForMembership(rejectRate: number): Member {
    const memberId = randomUUID();
    const name = `Member ${this.people} of ${this.index}`;
    const selfRegistered = this.chance(0.85);
    const contact = selfRegistered
      ? this.registerUser(memberId, 'member', name)
      : {
          email: `onboarded${this.people++}.s${this.index}@bench.example`,
          phoneNumber: `+91${String(8_000_000_000 + this.index * 100_000 + this.people)}`,
        };
    const member: Member = {
      id: memberId,
      userId: selfRegistered ? memberId : null,
      name,
      ...contact,
      approved: !this.chance(rejectRate),
      subscription: undefined,
    };
    const maker = selfRegistered ? null : this.admins[1]!;
    this.append(
      streams.member(memberId),
      [
        {
          type: 'MemberOnboarded',
          data: {
            memberId,
            userId: member.userId,
            societyId: this.societyId,
            name,
            email: member.email,
            phoneNumber: member.phoneNumber,
            subscriptionId: null,
            onboardedBy: maker,
            selfRegistered,
          },
        },
      ],
      maker,
    );
    this.append(
      streams.member(memberId),
      [
        {
          type: member.approved ? 'MemberApproved' : 'MemberRejected',
          data: {
            memberId,
            societyId: this.societyId,
            maker,
            checker: this.admins[0]!,
            checkerRole: 'society_admin',
            reason: member.approved ? null : 'not a resident of the society',
          },
        },
      ],
      this.admins[0]!,
    );
    this.members.push(member);
    return member;
  }

  private changeProfile(member: Member): void {
    member.name = `${member.name.split(' (')[0]} (${Math.floor(this.random() * 100)})`;
    this.append(streams.member(member.id), [
      { type: 'MemberProfileChanged', data: { memberId: member.id, changes: { name: member.name } } },
    ]);
  }

  // --- billing ----------------------------------------------------------------------------------

  /**
   * What buying a subscription appends: the request, a payment (transaction id claimed, opened on
   * the subscription, now and then a status check, 5% failing once first), completion,
   * activation and the invoice; 3% refunded in full and 3% in part afterwards.
   */
  private buySubscription(member: Member, plan: Plan, date: string, renewalOf: Subscription | null): void {
    const subscriptionStream = streams.memberSubscriptions(member.id);
    const subscriptionId = randomUUID();
    const requestedAt = this.at(date, this.minuteOfDay());
    this.append(subscriptionStream, [
      {
        type: 'SubscriptionRequested',
        data: {
          subscriptionId,
          memberId: member.id,
          societyId: this.societyId,
          planId: plan.id,
          planName: plan.name,
          price: plan.price,
          currency: 'INR',
          durationInDays: plan.durationInDays,
          timeZone: TIME_ZONE,
          renewalOf: renewalOf?.id ?? null,
          replaces: null,
          requestedAt,
        },
      },
    ]);
    if (this.chance(0.05)) {
      const failed = this.initiatePayment(member, plan, subscriptionId, requestedAt);
      const failedAt = new Date(Date.parse(requestedAt) + 60_000).toISOString();
      const reason = 'card declined';
      this.append(streams.payment(failed), [
        { type: 'PaymentFailed', data: { paymentId: failed, failedAt, reason } },
      ]);
      this.append(subscriptionStream, [
        { type: 'SubscriptionPaymentFailed', data: { subscriptionId, paymentId: failed, reason } },
      ]);
    }
    const paymentId = this.initiatePayment(member, plan, subscriptionId, requestedAt);
    const completedAt = new Date(Date.parse(requestedAt) + 5 * 60_000).toISOString();
    this.append(streams.payment(paymentId), [
      {
        type: 'PaymentCompleted',
        data: { paymentId, completedAt, gatewayReference: `sim_${paymentId.slice(0, 8)}` },
      },
    ]);
    const startsAt = Math.max(renewalOf?.endsAt ?? 0, Date.parse(completedAt));
    const endsAt = startsAt + plan.durationInDays * DAY_MS;
    this.append(subscriptionStream, [
      {
        type: 'SubscriptionActivated',
        data: {
          subscriptionId,
          paymentId,
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(endsAt).toISOString(),
        },
      },
    ]);
    const invoiceNumber = ++this.invoiceNumber;
    this.append(billingStreams.invoiceSequence(this.societyId), [
      { type: 'InvoiceNumberAssigned', data: { societyId: this.societyId, paymentId, invoiceNumber } },
    ]);
    this.append(streams.payment(paymentId), [
      {
        type: 'InvoiceIssued',
        data: { paymentId, societyId: this.societyId, invoiceNumber, issuedAt: completedAt },
      },
    ]);
    member.subscription = { id: subscriptionId, plan, paymentId, endsAt };
    const refund = this.random();
    if (refund < 0.06) this.refund(member, refund < 0.03 ? 'full' : 'part', completedAt);
  }

  private initiatePayment(member: Member, plan: Plan, subscriptionId: string, at: string): string {
    const paymentId = randomUUID();
    const transactionId = `txn_${paymentId.replace(/-/g, '').slice(0, 20)}`;
    const method = this.pick(['online', 'online', 'online', 'online', 'upi', 'cash'] as const);
    this.claimUnique(billingStreams.transactionId(transactionId), paymentId, 'transaction-id');
    this.append(streams.payment(paymentId), [
      {
        type: 'PaymentInitiated',
        data: {
          paymentId,
          memberId: member.id,
          societyId: this.societyId,
          subscriptionId,
          planId: plan.id,
          planName: plan.name,
          amount: plan.price,
          currency: 'INR',
          transactionId,
          method,
          gateway: method === 'online' ? 'simulated' : 'manual',
          timeZone: TIME_ZONE,
          initiatedAt: at,
        },
      },
    ]);
    this.append(streams.memberSubscriptions(member.id), [
      { type: 'SubscriptionPaymentOpened', data: { subscriptionId, paymentId } },
    ]);
    if (method === 'online' && this.chance(0.25))
      this.append(streams.payment(paymentId), [
        {
          type: 'PaymentStatusChecked',
          data: { paymentId, checkedAt: new Date(Date.parse(at) + 30_000).toISOString(), attempt: 1 },
        },
      ]);
    return paymentId;
  }

  private refund(member: Member, how: 'full' | 'part', paidAt: string): void {
    const subscription = member.subscription!;
    const refundId = randomUUID();
    const refundedAt = new Date(Date.parse(paidAt) + 2 * DAY_MS).toISOString();
    const amount = how === 'full' ? subscription.plan.price : '500.00';
    this.append(
      streams.payment(subscription.paymentId),
      [
        // As refunds are recorded since the reservation: requested (amount held), then refunded.
        {
          type: 'RefundRequested',
          data: {
            paymentId: subscription.paymentId,
            refundId,
            amount,
            reason: how === 'full' ? 'moved out' : 'missed a fortnight',
            requestedBy: this.admins[0]!,
            requestedAt: refundedAt,
          },
        },
        {
          type: 'PaymentRefunded',
          data: {
            paymentId: subscription.paymentId,
            refundId,
            amount,
            totalRefunded: amount,
            reason: how === 'full' ? 'moved out' : 'missed a fortnight',
            refundedBy: this.admins[0]!,
            refundedAt,
            gatewayReference: `rf_${refundId.slice(0, 8)}`,
          },
        },
      ],
      this.admins[0]!,
    );
    if (how === 'full') {
      this.append(streams.memberSubscriptions(member.id), [
        {
          type: 'SubscriptionCancelled',
          data: { subscriptionId: subscription.id, cancelledAt: refundedAt, reason: 'refunded', refundId },
        },
      ]);
      member.subscription = undefined;
      return;
    }
    const daysRemoved = 10;
    const endsAt = subscription.endsAt - daysRemoved * DAY_MS;
    this.append(streams.memberSubscriptions(member.id), [
      {
        type: 'SubscriptionShortened',
        data: {
          subscriptionId: subscription.id,
          paymentId: subscription.paymentId,
          refundId,
          previousEndsAt: new Date(subscription.endsAt).toISOString(),
          endsAt: new Date(endsAt).toISOString(),
          daysRemoved,
        },
      },
    ]);
    subscription.endsAt = endsAt;
  }

  /** Subscriptions ending before `until`: notice, 90% renewed (same plan), then expired. */
  private renewOrExpire(until: number): void {
    for (const member of this.members) {
      const current = member.subscription;
      if (!current || current.endsAt >= until) continue;
      const base = {
        subscriptionId: current.id,
        memberId: member.id,
        societyId: this.societyId,
      };
      this.append(streams.memberSubscriptions(member.id), [
        {
          type: 'SubscriptionExpiryNoticeGiven',
          data: { ...base, endsAt: new Date(current.endsAt).toISOString() },
        },
      ]);
      if (this.chance(0.9)) {
        const renewDate = new Date(current.endsAt - 2 * DAY_MS).toISOString().slice(0, 10);
        this.buySubscription(member, current.plan, renewDate, current);
      } else {
        member.subscription = undefined;
      }
      this.append(streams.memberSubscriptions(member.id), [
        { type: 'SubscriptionExpired', data: { ...base, endedAt: new Date(current.endsAt).toISOString() } },
      ]);
    }
  }

  // --- weeks ------------------------------------------------------------------------------------

  /** Week `week` of the history: next week's classes and their bookings; this week's classes run. */
  private liveWeek(week: number): void {
    const monday = this.dateOf(week, 0);
    for (let i = 0; i < 2; i++) {
      const member = this.applyForMembership(0.15);
      if (member.approved) this.buySubscription(member, this.plans[0]!, this.dateOf(week, 2 + i * 2), null);
    }
    if (this.chance(0.8)) this.changeProfile(this.pick(this.members));
    if (this.chance(0.4)) this.changeProfile(this.pick(this.members));
    for (const trainer of this.trainers) if (this.chance(0.1)) this.updateTrainer(trainer);
    if (week === 1) this.createPlan('Festival Offer', '999.00', 30);
    if (week === 2) this.changePlanPrice(this.plans[0]!, '1600.00');
    if (week === 4 && this.plans[2]) this.retirePlan(this.plans[2]);
    if (week === 3)
      this.append(
        streams.society(this.societyId),
        [
          {
            type: 'SocietyDetailsChanged',
            data: { societyId: this.societyId, changes: { location: `Sector ${this.index}, gate 2` } },
          },
        ],
        this.admins[0]!,
      );

    const next = this.scheduleWeek(week + 1);
    this.takeBookings(next, monday);
    this.memberCancellations(next, monday);
    this.changeClasses(next);
    this.scheduleNotification(next);
    this.runClasses(
      this.classesByWeek.get(isoWeekOf(monday)) ?? [],
      Date.parse(`${monday}T00:00:00Z`) + 7 * DAY_MS,
    );
    this.renewOrExpire(Date.parse(`${addDays(monday, 7)}T00:00:00Z`));
  }

  /** The part of the current week already behind us: classes that ran, a few late cancellations. */
  private currentWeekSoFar(): void {
    const monday = this.dateOf(HISTORY_WEEKS, 0);
    const classes = this.classesByWeek.get(isoWeekOf(monday)) ?? [];
    this.runClasses(classes, this.now.getTime() - 60 * 60_000);
    const upcoming = classes.filter((c) => !c.canceled && Date.parse(c.startsAt) > this.now.getTime());
    this.memberCancellations(upcoming, this.now.toISOString().slice(0, 10));
  }

  private updateTrainer(trainer: Trainer): void {
    this.append(streams.trainer(trainer.id), [
      {
        type: 'TrainerProfileUpdated',
        data: { trainerId: trainer.id, changes: { maxClassesPerDay: 3 + Math.floor(this.random() * 3) } },
      },
    ]);
  }

  private changePlanPrice(plan: Plan, price: string): void {
    plan.price = price;
    this.append(streams.plan(plan.id), [
      { type: 'PlanChanged', data: { planId: plan.id, changes: { price } } },
    ]);
  }

  private retirePlan(plan: Plan): void {
    this.append(streams.plan(plan.id), [
      { type: 'PlanRetired', data: { planId: plan.id, retiredBy: this.admins[0]! } },
    ]);
  }

  /** The week generator's run: a class per template (trainer-day claimed first), then the week record. */
  private scheduleWeek(week: number): Class[] {
    const isoWeek = isoWeekOf(this.dateOf(week, 0));
    const classes = this.templates.map((template) => {
      const date = this.dateOf(week, template.weekday);
      const cls: Class = {
        id: randomUUID(),
        name: template.name,
        date,
        week: isoWeek,
        start: template.start,
        end: template.end,
        ...this.instants(date, template.start, template.end),
        trainerId: template.trainerId,
        capacity: Math.min(template.maxMembers, 20),
        canceled: false,
        popularity: template.popularity,
        bookings: [],
        waitlist: [],
      };
      this.claimTrainerDay(cls.trainerId, cls);
      this.append(streams.class(cls.id), [
        {
          type: 'ClassScheduled',
          data: {
            classId: cls.id,
            societyId: this.societyId,
            name: cls.name,
            classType: template.classType,
            maxMembers: template.maxMembers,
            trainerId: cls.trainerId,
            scheduledBy: null,
            date,
            start: cls.start,
            end: cls.end,
            startsAt: cls.startsAt,
            endsAt: cls.endsAt,
            timezone: TIME_ZONE,
          },
        },
      ]);
      if (this.chance(0.5)) this.addActivity(cls);
      return cls;
    });
    this.append(streams.scheduleWeek(this.societyId, isoWeek), [
      {
        type: 'WeekScheduleGenerated',
        data: {
          societyId: this.societyId,
          isoWeek,
          classIds: classes.map((c) => c.id),
          unstaffed: [],
          solver: { method: 'greedy', status: 'feasible', seconds: 0.02 },
          generatedBy: null,
        },
      },
    ]);
    this.classesByWeek.set(isoWeek, classes);
    return classes;
  }

  private instants(date: string, start: number, end: number) {
    return {
      startsAt: localToInstant(date, start, TIME_ZONE).toISOString(),
      endsAt: localToInstant(date, end, TIME_ZONE).toISOString(),
    };
  }

  private claimTrainerDay(trainerId: string, cls: Class): void {
    this.append(streams.trainerDay(trainerId, cls.date), [this.trainerSlotClaimed(trainerId, cls)]);
  }

  private trainerSlotClaimed(trainerId: string, cls: Class): TrainerDayEvent {
    return {
      type: 'TrainerSlotClaimed',
      data: {
        trainerId,
        date: cls.date,
        classId: cls.id,
        societyId: this.societyId,
        start: cls.start,
        end: cls.end,
        societyLocation: { lat: 12.9, lng: 77.6 },
      },
    };
  }

  private addActivity(cls: Class): void {
    const activityId = randomUUID();
    this.append(streams.class(cls.id), [
      {
        type: 'ClassActivityAdded',
        data: {
          classId: cls.id,
          activity: {
            activityId,
            name: 'Warm-up',
            duration: 10,
            description: 'Mobility and breathing',
            tracks: ['track-01', 'track-02'],
            mediaUrl: null,
          },
          ordering: [activityId],
        },
      },
    ]);
  }

  /**
   * Every member with a live subscription books up to the weekly limit, popular classes first;
   * requests arrive in random order over the week before. A full class waitlists.
   */
  private takeBookings(classes: readonly Class[], bookingWeekMonday: string): void {
    const requests: Array<{ member: Member; cls: Class }> = [];
    for (const member of this.members) {
      if (!member.approved || !member.subscription) continue;
      const wanted = this.pick([0, 1, 2, 2, 3, 3, 3, 3, 3, 3]);
      const chosen = new Set<Class>();
      for (let tries = 0; chosen.size < Math.min(wanted, WEEKLY_LIMIT) && tries < 20; tries++) {
        const cls = this.pick(classes);
        if (this.random() < cls.popularity / 1.8) chosen.add(cls);
      }
      for (const cls of chosen) requests.push({ member, cls });
    }
    for (let i = requests.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [requests[i], requests[j]] = [requests[j]!, requests[i]!];
    }
    const start = Date.parse(`${bookingWeekMonday}T06:00:00Z`);
    const step = (6 * DAY_MS) / Math.max(1, requests.length);
    for (const [i, { member, cls }] of requests.entries())
      this.book(member, cls, new Date(start + i * step).toISOString());
  }

  private book(member: Member, cls: Class, bookedAt: string): void {
    const bookingId = randomUUID();
    const bookedBy = this.chance(0.1) ? this.admins[1]! : member.id;
    const ref = { bookingId, classId: cls.id, memberId: member.id };
    this.append(streams.bookingQuota(member.id, cls.week), [
      {
        type: 'BookingSlotClaimed',
        data: {
          ...ref,
          societyId: this.societyId,
          week: cls.week,
          limit: WEEKLY_LIMIT,
          startsAt: cls.startsAt,
          endsAt: cls.endsAt,
          requestedBy: bookedBy,
          claimedAt: bookedAt,
        },
      },
    ]);
    const placed = { ...ref, societyId: this.societyId, week: cls.week, bookedBy, bookedAt };
    const confirmed = cls.bookings.filter((b) => b.status === 'confirmed').length;
    if (confirmed < cls.capacity) {
      cls.bookings.push({ id: bookingId, memberId: member.id, status: 'confirmed' });
      this.append(streams.class(cls.id), [
        { type: 'BookingConfirmed', data: { ...placed, seatsLeft: cls.capacity - confirmed - 1 } },
      ]);
    } else {
      cls.bookings.push({ id: bookingId, memberId: member.id, status: 'waitlist' });
      cls.waitlist.push(bookingId);
      this.append(streams.class(cls.id), [
        { type: 'BookingWaitlisted', data: { ...placed, position: cls.waitlist.length } },
      ]);
    }
  }

  /** ≈ 8% of live bookings given up by the member; a freed seat goes to the waitlist's head. */
  private memberCancellations(classes: readonly Class[], date: string): void {
    for (const cls of classes) {
      if (cls.canceled) continue;
      for (const booking of [...cls.bookings]) {
        if (booking.status === 'canceled' || !this.chance(0.08)) continue;
        const canceledAt = this.at(date, this.minuteOfDay());
        this.append(
          streams.class(cls.id),
          this.cancel(cls, [booking.id], 'member', booking.memberId, canceledAt, true),
          booking.memberId,
        );
        this.releaseSlot(cls, booking, canceledAt);
      }
    }
  }

  /** The class stream's decision (classSeatsDecider's cancelAndPromote), mirrored. */
  private cancel(
    cls: Class,
    bookingIds: readonly string[],
    reason: BookingCanceled['data']['reason'],
    canceledBy: string | null,
    canceledAt: string,
    promote: boolean,
  ): ClassBookingEvent[] {
    const events: ClassBookingEvent[] = [];
    const seatsLeft = () =>
      Math.max(0, cls.capacity - cls.bookings.filter((b) => b.status === 'confirmed').length);
    for (const bookingId of bookingIds) {
      const booking = cls.bookings.find((b) => b.id === bookingId)!;
      const previousStatus = booking.status === 'waitlist' ? 'waitlist' : 'confirmed';
      const position = previousStatus === 'waitlist' ? cls.waitlist.indexOf(bookingId) + 1 : null;
      booking.status = 'canceled';
      if (position !== null) cls.waitlist.splice(position - 1, 1);
      events.push({
        type: 'BookingCanceled',
        data: {
          bookingId,
          classId: cls.id,
          memberId: booking.memberId,
          week: cls.week,
          previousStatus,
          waitlistPosition: position,
          reason,
          canceledBy,
          canceledAt,
          seatsLeft: seatsLeft(),
        },
      });
    }
    while (promote && seatsLeft() > 0 && cls.waitlist.length > 0) {
      const next = cls.bookings.find((b) => b.id === cls.waitlist[0])!;
      cls.waitlist.shift();
      next.status = 'confirmed';
      const promoted: BookingPromoted = {
        type: 'BookingPromoted',
        data: {
          bookingId: next.id,
          classId: cls.id,
          memberId: next.memberId,
          fromPosition: 1,
          seatsLeft: seatsLeft(),
        },
      };
      events.push(promoted);
    }
    return events;
  }

  private releaseSlot(cls: Class, booking: Booking, releasedAt: string): void {
    this.append(streams.bookingQuota(booking.memberId, cls.week), [
      {
        type: 'BookingSlotReleased',
        data: {
          bookingId: booking.id,
          memberId: booking.memberId,
          week: cls.week,
          reason: 'booking-canceled',
          releasedAt,
        },
      },
    ]);
  }

  /** Admins move, cancel, re-staff or rename a few of next week's classes. */
  private changeClasses(classes: readonly Class[]): void {
    for (const cls of classes) {
      const roll = this.random();
      if (roll < 0.08) this.reschedule(cls);
      else if (roll < 0.12) this.cancelClass(cls);
      else if (roll < 0.16) this.reassignTrainer(cls);
      else if (roll < 0.19)
        this.append(
          streams.class(cls.id),
          [
            {
              type: 'ClassDetailsChanged',
              data: { classId: cls.id, changes: { name: `${cls.name} (new)` } },
            },
          ],
          this.admins[0]!,
        );
    }
  }

  /** An hour later the same day: the trainer's day slot moves with it. */
  private reschedule(cls: Class): void {
    const previous = { date: cls.date, start: cls.start, end: cls.end };
    cls.start += 60;
    cls.end += 60;
    Object.assign(cls, this.instants(cls.date, cls.start, cls.end));
    this.append(streams.trainerDay(cls.trainerId, cls.date), [
      { type: 'TrainerSlotReleased', data: { trainerId: cls.trainerId, date: cls.date, classId: cls.id } },
      this.trainerSlotClaimed(cls.trainerId, cls),
    ]);
    this.append(
      streams.class(cls.id),
      [
        {
          type: 'ClassRescheduled',
          data: {
            classId: cls.id,
            date: cls.date,
            start: cls.start,
            end: cls.end,
            startsAt: cls.startsAt,
            endsAt: cls.endsAt,
            timezone: TIME_ZONE,
            previous,
          },
        },
      ],
      this.admins[0]!,
    );
  }

  /** The class and all its bookings end in one append; each member's weekly slot is given back. */
  private cancelClass(cls: Class): void {
    const canceledAt = new Date(Date.parse(cls.startsAt) - 2 * DAY_MS).toISOString();
    const live = cls.bookings.filter((b) => b.status !== 'canceled');
    cls.canceled = true;
    this.append(
      streams.class(cls.id),
      [
        {
          type: 'ClassCanceled',
          data: {
            classId: cls.id,
            reason: 'trainer unwell',
            canceledBy: this.admins[0]!,
            trainerId: cls.trainerId,
            date: cls.date,
          },
        },
        ...this.cancel(
          cls,
          live.map((b) => b.id),
          'class-canceled',
          this.admins[0]!,
          canceledAt,
          false,
        ),
      ],
      this.admins[0]!,
    );
    for (const booking of live) this.releaseSlot(cls, booking, canceledAt);
    this.append(streams.trainerDay(cls.trainerId, cls.date), [
      { type: 'TrainerSlotReleased', data: { trainerId: cls.trainerId, date: cls.date, classId: cls.id } },
    ]);
  }

  private reassignTrainer(cls: Class): void {
    const previousTrainerId = cls.trainerId;
    const trainerId = this.pick(this.trainers.filter((t) => t.id !== previousTrainerId)).id;
    this.claimTrainerDay(trainerId, cls);
    cls.trainerId = trainerId;
    this.append(
      streams.class(cls.id),
      [
        {
          type: 'TrainerAssignedToClass',
          data: { classId: cls.id, trainerId, previousTrainerId, date: cls.date },
        },
      ],
      this.admins[0]!,
    );
    this.append(streams.trainerDay(previousTrainerId, cls.date), [
      {
        type: 'TrainerSlotReleased',
        data: { trainerId: previousTrainerId, date: cls.date, classId: cls.id },
      },
    ]);
  }

  private scheduleNotification(classes: readonly Class[]): void {
    const cls = classes.find((c) => !c.canceled && c.bookings.some((b) => b.status === 'confirmed'));
    const booking = cls?.bookings.find((b) => b.status === 'confirmed');
    if (!cls || !booking) return;
    const notificationId = randomUUID();
    this.append(
      streams.notification(notificationId),
      [
        {
          type: 'NotificationScheduled',
          data: {
            notificationId,
            memberId: booking.memberId,
            classId: cls.id,
            notificationType: 'reminder',
            scheduledTime: new Date(Date.parse(cls.startsAt) - 3 * 60 * 60_000).toISOString(),
            scheduledBy: this.admins[1]!,
          },
        },
      ],
      this.admins[1]!,
    );
  }

  /**
   * Classes that started before `until`: the waitlist still queued expires at the start, and the
   * trainer marks attendance for every seat after the end.
   */
  private runClasses(classes: readonly Class[], until: number): void {
    for (const cls of classes) {
      if (cls.canceled || Date.parse(cls.endsAt) > until) continue;
      if (cls.waitlist.length > 0) {
        const queued = cls.bookings.filter((b) => b.status === 'waitlist');
        this.append(
          streams.class(cls.id),
          this.cancel(cls, [...cls.waitlist], 'waitlist-expired', null, cls.startsAt, false),
        );
        for (const booking of queued) this.releaseSlot(cls, booking, cls.startsAt);
      }
      const markedAt = new Date(Date.parse(cls.endsAt) + 10 * 60_000).toISOString();
      for (const booking of cls.bookings) {
        if (booking.status !== 'confirmed') continue;
        this.append(
          streams.class(cls.id),
          [
            {
              type: 'AttendanceMarked',
              data: {
                bookingId: booking.id,
                classId: cls.id,
                memberId: booking.memberId,
                attendance: this.chance(0.85) ? 'present' : 'no_show',
                markedBy: cls.trainerId,
                markedAt,
              },
            },
          ],
          cls.trainerId,
        );
      }
    }
  }
}

const societyHistory = (index: number, firstMonday: string, now: Date): SocietyHistory =>
  new SocietyWeeks(index, firstMonday, now).history();
