import type { Knex } from 'knex';
import type { EventStore, RecordedEvent } from '../../events/store/eventStore';
import { comparePositions } from '../../events/store/position';
import { streams } from '../../events/streams';
import { fold, type Decider, type DomainEvent } from '../handling/decider';
import { classSeatsDecider } from '../booking/classSeatsDecider';
import { memberDecider } from '../members/memberDecider';
import { paymentDecider } from '../billing/paymentDecider';

/**
 * An entity's history: every fact about it, in `$all` order, and — when asked for an instant —
 * its state then, folded with the capability's own `evolve` over its stream up to that instant.
 */
export interface EntityHistory {
  readonly facts: readonly RecordedEvent[];
  /** Present when `asOf` was given: the decider's state after the last fact at or before it. */
  readonly state?: unknown;
}

type AnyDecider = Pick<Decider<unknown, never, DomainEvent>, 'initialState' | 'evolve'>;

const upTo = (events: readonly RecordedEvent[], asOf: Date | undefined) =>
  asOf ? events.filter((e) => e.createdAt.getTime() <= asOf.getTime()) : [...events];

const inAllOrder = (events: RecordedEvent[]) =>
  events.sort((a, b) => comparePositions(a.position, b.position));

/** Maps and sets become plain JSON, so a decider's state can be shown as it is. */
export const plainState = (value: unknown): unknown => {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plainState(v)]));
  if (value instanceof Set) return [...value].map(plainState);
  if (Array.isArray(value)) return value.map(plainState);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainState(v)]));
  return value;
};

const foldAsOf = (decider: AnyDecider, events: readonly RecordedEvent[], asOf: Date) =>
  fold(decider, upTo(events, asOf) as unknown as DomainEvent[]);

/** A member's application and account (one person: member id = user id when self-registered). */
export const memberHistory = async (
  store: EventStore,
  memberId: string,
  asOf?: Date,
): Promise<EntityHistory | undefined> => {
  const member = await store.readStream(streams.member(memberId));
  if (member.length === 0) return undefined;
  const user = await store.readStream(streams.user(memberId));
  return {
    facts: upTo(inAllOrder([...member, ...user]), asOf),
    ...(asOf ? { state: plainState(foldAsOf(memberDecider as unknown as AnyDecider, member, asOf)) } : {}),
  };
};

/** A class (the spec's event): its schedule and every seat taken, queued and given up. */
export const classHistory = async (
  store: EventStore,
  classId: string,
  asOf?: Date,
): Promise<EntityHistory | undefined> => {
  const events = await store.readStream(streams.class(classId));
  if (events.length === 0) return undefined;
  return {
    facts: upTo(events, asOf),
    ...(asOf
      ? { state: plainState(foldAsOf(classSeatsDecider as unknown as AnyDecider, events, asOf)) }
      : {}),
  };
};

/**
 * A booking lives in two streams: its weekly-quota claim (`booking-quota-<member>-<week>`) and
 * its seat in `class-<id>`; the bookings read table says which, the facts say the rest.
 */
export const bookingHistory = async (
  knex: Knex,
  store: EventStore,
  bookingId: string,
  asOf?: Date,
): Promise<EntityHistory | undefined> => {
  const row = await knex('bookings')
    .where({ id: bookingId })
    .first<{ event_id: string; member_id: string; week: string } | undefined>(
      'event_id',
      'member_id',
      'week',
    );
  if (!row) return undefined;
  const classEvents = await store.readStream(streams.class(row.event_id));
  const quotaEvents = await store.readStream(streams.bookingQuota(row.member_id, row.week));
  const aboutIt = (e: RecordedEvent) => (e.data as { bookingId?: unknown } | null)?.bookingId === bookingId;
  const facts = upTo(inAllOrder([...classEvents, ...quotaEvents].filter(aboutIt)), asOf);
  if (!asOf) return { facts };
  const seats = foldAsOf(classSeatsDecider as unknown as AnyDecider, classEvents, asOf) as {
    seats?: { bookings?: ReadonlyMap<string, unknown>; waitlist?: readonly string[] };
  };
  const booking = seats.seats?.bookings?.get(bookingId);
  const waitlistIndex = seats.seats?.waitlist?.indexOf(bookingId) ?? -1;
  return {
    facts,
    state: booking
      ? plainState({
          exists: true,
          ...(booking as object),
          waitlistPosition: waitlistIndex >= 0 ? waitlistIndex + 1 : null,
        })
      : { exists: false },
  };
};

export const paymentHistory = async (
  store: EventStore,
  paymentId: string,
  asOf?: Date,
): Promise<EntityHistory | undefined> => {
  const events = await store.readStream(streams.payment(paymentId));
  if (events.length === 0) return undefined;
  return {
    facts: upTo(events, asOf),
    ...(asOf ? { state: plainState(foldAsOf(paymentDecider as unknown as AnyDecider, events, asOf)) } : {}),
  };
};
