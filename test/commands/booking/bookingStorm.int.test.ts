import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { CommandHandler, CommandRefusedError } from '../../../src/commands/handling/commandHandler';
import { classSeatsDecider } from '../../../src/commands/booking/classSeatsDecider';
import { weeklyQuotaDecider } from '../../../src/commands/booking/weeklyQuotaDecider';
import type { EventStore, RecordedEvent } from '../../../src/events/store/eventStore';
import { createEsdbEventStore } from '../../../src/events/store/esdb/esdbEventStore';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { comparePositions } from '../../../src/events/store/position';
import { streams } from '../../../src/events/streams';
import { startEsdbTestDouble } from '../../support/esdbTestDouble/startEsdbTestDouble';
import { createTestDatabase } from '../../support/testDatabase';
import { bookingMeta, bookingWorld } from '../../support/booking/bookingWorld';

const MEMBERS = 6;
const CLASSES = 7;
const SEATS = 2;
const WEEKLY_LIMIT = 5;
const WEEK = '2030-W10';

type Op = { kind: 'book' | 'cancel'; member: number; klass: number };
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<Op['kind']>('book', 'book', 'book', 'cancel'),
  member: fc.nat({ max: MEMBERS - 1 }),
  klass: fc.nat({ max: CLASSES - 1 }),
});

/** The rule book, one request at a time: what the concurrent system must be equivalent to. */
class SequentialModel {
  readonly classes = Array.from({ length: CLASSES }, () => ({
    confirmed: [] as string[],
    waitlist: [] as string[],
  }));
  readonly held = new Map<string, number>();

  /** Returns what the model decides: 'confirmed' | 'waitlist', or null if it would refuse. */
  book(member: string, klass: number): 'confirmed' | 'waitlist' | null {
    const c = this.classes[klass]!;
    if (c.confirmed.includes(member) || c.waitlist.includes(member)) return null;
    if ((this.held.get(member) ?? 0) >= WEEKLY_LIMIT) return null;
    this.held.set(member, (this.held.get(member) ?? 0) + 1);
    if (c.confirmed.length < SEATS) {
      c.confirmed.push(member);
      return 'confirmed';
    }
    c.waitlist.push(member);
    return 'waitlist';
  }

  /** Returns the member promoted, if any; throws if the model has nothing to cancel. */
  cancel(member: string, klass: number): string | undefined {
    const c = this.classes[klass]!;
    this.held.set(member, (this.held.get(member) ?? 0) - 1);
    if (c.waitlist.includes(member)) {
      c.waitlist.splice(c.waitlist.indexOf(member), 1);
      return undefined;
    }
    if (!c.confirmed.includes(member)) throw new Error(`model: ${member} holds nothing in class ${klass}`);
    c.confirmed.splice(c.confirmed.indexOf(member), 1);
    const next = c.waitlist.shift();
    if (next) c.confirmed.push(next);
    return next;
  }
}

const stormOn = (name: string, open: () => Promise<{ store: EventStore; dispose: () => Promise<void> }>) =>
  describe(`a storm of concurrent books and cancels (${name})`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    beforeAll(async () => ({ store, dispose } = await open()));
    afterAll(async () => dispose());

    it('ends equal to the sequential model, never over capacity nor over the weekly limit', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 40 }), async (ops) => {
          const commands = new CommandHandler(store);
          const world = await bookingWorld(commands);
          const members = await Promise.all(Array.from({ length: MEMBERS }, () => world.member()));
          // Mon–Sun of one week at 07:00, 2030-03-04 onward: none overlap, all count against one week.
          const classIds = await Promise.all(
            Array.from({ length: CLASSES }, (_, i) =>
              world.klass({ date: `2030-03-${String(4 + i).padStart(2, '0')}`, maxMembers: SEATS }),
            ),
          );
          const bookings = world.bookings();
          const run = async (o: Op) => {
            const memberId = members[o.member]!;
            const classId = classIds[o.klass]!;
            if (o.kind === 'book')
              return bookings.book(
                { bookingId: randomUUID(), classId, memberId, bookedBy: memberId },
                bookingMeta(),
              );
            const { state } = await commands.load(streams.class(classId), classSeatsDecider);
            const bookingId = state.seats.liveByMember.get(memberId);
            if (!bookingId) return undefined;
            return bookings.cancel(
              { classId, bookingId, canceledBy: memberId, byAdmin: false },
              bookingMeta(),
            );
          };
          // Two waves, each fully concurrent, so cancels meet bookings that exist.
          const half = Math.ceil(ops.length / 2);
          const results = [
            ...(await Promise.allSettled(ops.slice(0, half).map(run))),
            ...(await Promise.allSettled(ops.slice(half).map(run))),
          ];
          for (const r of results)
            if (r.status === 'rejected') {
              expect(r.reason).toBeInstanceOf(CommandRefusedError);
              expect(['weekly-limit-reached', 'already-booked']).toContain(
                (r.reason as CommandRefusedError).refusal.type,
              );
            }

          // The order the class streams took things in is the history; replay it through the model.
          const fresh = new CommandHandler(store);
          const classEvents: { klass: number; event: RecordedEvent }[] = [];
          for (const [klass, classId] of classIds.entries())
            for (const event of await store.readStream(streams.class(classId)))
              if (event.type.startsWith('Booking')) classEvents.push({ klass, event });
          classEvents.sort(
            (a, b) =>
              comparePositions(a.event.position, b.event.position) || a.event.revision - b.event.revision,
          );
          const model = new SequentialModel();
          for (const { klass, event } of classEvents) {
            const d = event.data as { memberId: string };
            if (event.type === 'BookingConfirmed') expect(model.book(d.memberId, klass)).toBe('confirmed');
            if (event.type === 'BookingWaitlisted') expect(model.book(d.memberId, klass)).toBe('waitlist');
            if (event.type === 'BookingCanceled') {
              const promoted = model.cancel(d.memberId, klass);
              // A promotion is the next fact of the same append, in the same class stream.
              const next = classEvents.find(
                (e) => e.klass === klass && e.event.revision === event.revision + 1,
              );
              expect(
                next?.event.type === 'BookingPromoted'
                  ? (next.event.data as { memberId: string }).memberId
                  : undefined,
              ).toBe(promoted);
            }
          }

          // Final state: the streams as a fresh reader folds them equal the model's.
          for (const [klass, classId] of classIds.entries()) {
            const { state } = await fresh.load(streams.class(classId), classSeatsDecider);
            const live = [...state.seats.bookings.values()];
            const confirmed = live.filter((b) => b.status === 'confirmed').map((b) => b.memberId);
            const waitlist = state.seats.waitlist.map((id) => state.seats.bookings.get(id)!.memberId);
            expect(confirmed.length).toBeLessThanOrEqual(SEATS);
            if (waitlist.length > 0) expect(confirmed).toHaveLength(SEATS);
            expect(new Set(confirmed)).toEqual(new Set(model.classes[klass]!.confirmed));
            expect(waitlist).toEqual(model.classes[klass]!.waitlist);
          }
          for (const memberId of members) {
            const { state } = await fresh.load(streams.bookingQuota(memberId, WEEK), weeklyQuotaDecider);
            expect(state.held.size).toBeLessThanOrEqual(WEEKLY_LIMIT);
            expect(state.held.size).toBe(model.held.get(memberId) ?? 0);
          }
        }),
        { numRuns: 15 },
      );
    }, 120_000);
  });

stormOn('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const store = new PostgresEventStore(db.pool);
  return {
    store,
    dispose: async () => {
      await store.close();
      await db.dispose();
    },
  };
});

stormOn('EventStoreDB gRPC test double', async () => {
  const double = await startEsdbTestDouble();
  const store = createEsdbEventStore(double.connectionString);
  return {
    store,
    dispose: async () => {
      await store.close();
      await double.stop();
    },
  };
});
