import { randomUUID } from 'node:crypto';
import { CommandHandler, CommandRefusedError } from '../../../src/commands/handling/commandHandler';
import { classSeatsDecider } from '../../../src/commands/booking/classSeatsDecider';
import { weeklyQuotaDecider } from '../../../src/commands/booking/weeklyQuotaDecider';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { streams } from '../../../src/events/streams';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';
import { bookingMeta, bookingWorld } from '../../support/booking/bookingWorld';

let db: TestDatabase;
let store: PostgresEventStore;
let commands: CommandHandler;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  commands = new CommandHandler(store);
});
afterAll(async () => {
  await store.close();
  await db.dispose();
});

const refusalType = (error: unknown) =>
  error instanceof CommandRefusedError ? error.refusal.type : String(error);

describe('booking under concurrency, on PostgreSQL', () => {
  it('200 concurrent bookings of a 20-seat class: exactly 20 seats, 180 on the waitlist at places 1..180', async () => {
    const world = await bookingWorld(commands);
    const classId = await world.klass({ maxMembers: 20 });
    const members = await Promise.all(Array.from({ length: 200 }, () => world.member()));
    const bookings = world.bookings();

    const outcomes = await Promise.all(
      members.map((memberId) =>
        bookings.book({ bookingId: randomUUID(), classId, memberId, bookedBy: memberId }, bookingMeta()),
      ),
    );

    const facts = outcomes.flatMap((o) => o.events);
    expect(facts.filter((e) => e.type === 'BookingConfirmed')).toHaveLength(20);
    const waitlisted = facts.filter((e) => e.type === 'BookingWaitlisted');
    expect(waitlisted.map((e) => (e.data as { position: number }).position).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 180 }, (_, i) => i + 1),
    );
    // The stream itself, read back fresh (no cache): the same seats and queue.
    const { state } = await new CommandHandler(store).load(streams.class(classId), classSeatsDecider);
    expect(state.seats.confirmed).toBe(20);
    expect(state.seats.waitlist).toHaveLength(180);
    expect(new Set(state.seats.liveByMember.keys())).toEqual(new Set(members));
  });

  it('bookings decided together in one append are each recorded as their own request: command id, actor, correlation', async () => {
    const world = await bookingWorld(commands);
    const classId = await world.klass({ maxMembers: 5 });
    const members = await Promise.all(Array.from({ length: 40 }, () => world.member()));
    const bookings = world.bookings();
    const requests = members.map((memberId) => ({
      memberId,
      bookingId: randomUUID(),
      meta: {
        ...bookingMeta(`book:${memberId}`),
        correlationId: `http:${memberId}`,
        actor: { id: memberId, role: 'member' },
      },
    }));

    await Promise.all(
      requests.map((r) =>
        bookings.book(
          { bookingId: r.bookingId, classId, memberId: r.memberId, bookedBy: r.memberId },
          r.meta,
        ),
      ),
    );

    const recorded = (await store.readStream(streams.class(classId))).filter((e) =>
      ['BookingConfirmed', 'BookingWaitlisted'].includes(e.type),
    );
    expect(recorded).toHaveLength(40);
    // Several bookings shared an append (the class stream is far shorter than 40 appends)...
    expect(new Set(recorded.map((e) => e.position.commit)).size).toBeLessThan(40);
    // ...yet each event names the request it answers for.
    for (const event of recorded) {
      const memberId = (event.data as { memberId: string }).memberId;
      expect(event.metadata).toMatchObject({
        commandId: `book:${memberId}`,
        correlationId: `http:${memberId}`,
        actor: { id: memberId, role: 'member' },
      });
    }
    expect(new Set(recorded.map((e) => e.id)).size).toBe(40);

    // A retry of a request that was decided in a batch is recognised by its own command id.
    const again = requests[17]!;
    const { startsAt, endsAt } = (await bookings.classFact(classId))!;
    const retried = await new CommandHandler(store).handle(
      streams.class(classId),
      classSeatsDecider,
      {
        type: 'BookSeat',
        bookingId: again.bookingId,
        memberId: again.memberId,
        societyId: world.societyId,
        week: '2030-W10',
        startsAt,
        endsAt,
        bookedBy: again.memberId,
        societyMaxMembersPerEvent: 20,
      },
      { ...again.meta, commandType: 'BookSeat' },
    );
    expect(retried.replayed).toBe(true);
    expect(retried.events).toHaveLength(1);
    expect(await store.readStream(streams.class(classId))).toHaveLength(recorded.length + 1);
  });

  it('20 concurrent bookings by one member across 20 classes of one week: exactly 5 succeed', async () => {
    const world = await bookingWorld(commands);
    const memberId = await world.member();
    // 2030-03-04 .. 2030-03-08 (Mon–Fri of 2030-W10), four classes a day at different hours.
    const classIds = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world.klass({ date: `2030-03-0${4 + (i % 5)}`, hour: 6 + Math.floor(i / 5) * 2 }),
      ),
    );
    const bookings = world.bookings();

    const results = await Promise.allSettled(
      classIds.map((classId) =>
        bookings.book({ bookingId: randomUUID(), classId, memberId, bookedBy: memberId }, bookingMeta()),
      ),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [refusalType(r.reason)] : []));
    expect(refusals).toEqual(Array(15).fill('weekly-limit-reached'));
    const { state } = await new CommandHandler(store).load(
      streams.bookingQuota(memberId, '2030-W10'),
      weeklyQuotaDecider,
    );
    expect(state.held.size).toBe(5);
  });

  it('a refused class step gives the weekly slot back, and a retried request books once', async () => {
    const world = await bookingWorld(commands);
    const memberId = await world.member();
    const classId = await world.klass();
    const bookings = world.bookings();
    const first = bookingMeta('retry-me');
    const bookingId = randomUUID();
    const once = await bookings.book({ bookingId, classId, memberId, bookedBy: memberId }, first);
    const again = await bookings.book({ bookingId, classId, memberId, bookedBy: memberId }, first);
    expect(once.events.map((e) => e.type)).toEqual(['BookingConfirmed']);
    expect(again.replayed).toBe(true);

    // Canceled, then the very first request retried: its slot is spent, no seat without a slot.
    await bookings.cancel({ classId, bookingId, canceledBy: memberId, byAdmin: false }, bookingMeta());
    await expect(
      bookings.book({ bookingId, classId, memberId, bookedBy: memberId }, first),
    ).rejects.toMatchObject({
      refusal: { type: 'booking-ended' },
    });
    const rebooked = randomUUID();
    await bookings.book({ bookingId: rebooked, classId, memberId, bookedBy: memberId }, bookingMeta());

    const other = await world.klass({ hour: 9 });
    await commands.handle(
      streams.class(other),
      classSeatsDecider,
      { type: 'CancelClassWithBookings', reason: 'rain', canceledBy: null },
      bookingMeta(),
    );
    await expect(
      bookings.book({ bookingId: randomUUID(), classId: other, memberId, bookedBy: memberId }, bookingMeta()),
    ).rejects.toMatchObject({ refusal: { type: 'class-canceled' } });
    const { state } = await new CommandHandler(store).load(
      streams.bookingQuota(memberId, '2030-W10'),
      weeklyQuotaDecider,
    );
    expect([...state.held.keys()]).toEqual([rebooked]);
  });
});
