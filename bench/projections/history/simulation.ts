import { randomUUID } from 'node:crypto';
import { addDays } from '../../../src/commands/schedules/isoWeek';
import type { Weekday } from '../../../src/events/trainers/trainerEvents';
import type { PlannedAppend } from './plan';
import type { SeedEvent } from './seedEvents';

// ---------------------------------------------------------------------------------------------
// The simulation: a society's state, advanced week by week, recording what the commands would.

export const DAY_MS = 86_400_000;
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const WEEKLY_LIMIT = 3;
export const TIME_ZONE = 'Asia/Kolkata';
export const PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0$YmVuY2hoYXNoYmVuY2hoYXNo';

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

export interface Plan {
  id: string;
  name: string;
  price: string;
  durationInDays: number;
}

export interface Subscription {
  id: string;
  plan: Plan;
  paymentId: string;
  endsAt: number;
}

export interface Member {
  id: string;
  userId: string | null;
  name: string;
  email: string;
  phoneNumber: string;
  approved: boolean;
  subscription: Subscription | undefined;
}

export interface Trainer {
  id: string;
  name: string;
}

export interface Template {
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

export interface Booking {
  id: string;
  memberId: string;
  status: 'confirmed' | 'waitlist' | 'canceled';
}

export interface Class {
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

export const CLASS_KINDS = [
  { name: 'Sunrise Yoga', classType: 'yoga', specialization: 'yoga' },
  { name: 'HIIT Blast', classType: 'hiit', specialization: 'hiit' },
  { name: 'Zumba Party', classType: 'zumba', specialization: 'dance' },
  { name: 'Core Pilates', classType: 'pilates', specialization: 'pilates' },
  { name: 'Strength Circuit', classType: 'strength', specialization: 'strength' },
] as const;

/**
 * One society's simulation: its state, its clock and what it has recorded so far. The capability
 * modules (people, billing, schedules, classes, bookings, notifications) advance it; weeks.ts runs it.
 */
export class SocietySim {
  readonly random: () => number;
  readonly revisions = new Map<string, number>();
  readonly phases: PlannedAppend[][] = [];
  readonly societyId: string = randomUUID();
  readonly admins: readonly string[] = [randomUUID(), randomUUID()];
  readonly trainers: Trainer[] = [];
  readonly plans: Plan[] = [];
  readonly templates: Template[] = [];
  readonly members: Member[] = [];
  /** Classes by the ISO week they run in. */
  readonly classesByWeek = new Map<string, Class[]>();
  invoiceNumber = 0;
  people = 0;

  constructor(
    readonly index: number,
    readonly firstMonday: string,
    readonly now: Date,
  ) {
    this.random = prng(0x5eed + index * 7919);
  }

  // --- time -----------------------------------------------------------------------------------

  dateOf(week: number, weekday: number): string {
    return addDays(this.firstMonday, week * 7 + weekday);
  }

  /** An instant on a history date, `minute` minutes after its midnight (UTC: payloads only). */
  at(date: string, minute: number): string {
    return new Date(Date.parse(`${date}T00:00:00Z`) + minute * 60_000).toISOString();
  }

  minuteOfDay(): number {
    return 7 * 60 + Math.floor(this.random() * 14 * 60);
  }

  // --- recording --------------------------------------------------------------------------------

  phase(): void {
    this.phases.push([]);
  }

  /** One append to `streamId` at the revision this simulation has it at, with command metadata. */
  append(streamId: string, events: readonly SeedEvent[], actor: string | null = null): void {
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

  roleOf(userId: string): string {
    if (this.admins.includes(userId)) return 'society_admin';
    return this.trainers.some((t) => t.id === userId) ? 'trainer' : 'member';
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  claimUnique(streamId: string, owner: string, kind: string): void {
    this.append(streamId, [{ type: 'UniqueValueClaimed', data: { owner, kind } }]);
  }
}
