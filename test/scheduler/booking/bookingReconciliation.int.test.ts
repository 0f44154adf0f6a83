import { randomUUID } from 'node:crypto';
import { BookingCommands } from '../../../src/commands/booking/bookingCommands';
import { classSeatsDecider } from '../../../src/commands/booking/classSeatsDecider';
import { weeklyQuotaDecider } from '../../../src/commands/booking/weeklyQuotaDecider';
import { CommandHandler } from '../../../src/commands/handling/commandHandler';
import { streams } from '../../../src/events/streams';
import { comparePositions } from '../../../src/events/store/position';
import { bookingCleanupJob } from '../../../src/scheduler/jobs/booking/bookingCleanupJob';
import { bookingReconciliationJob } from '../../../src/scheduler/jobs/booking/bookingReconciliationJob';
import { bookingMeta, bookingWorld } from '../../support/booking/bookingWorld';
import { startTestApp, type TestApp } from '../../support/testApp';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

class Crash extends Error {}
const crashBetweenSteps = { afterSlotClaimed: () => Promise.reject(new Crash('process died here')) };
/** Waits until the read side has applied the latest fact of every class and weekly-slot stream these ids wrote. */
const caughtUp = async (...ids: { classId?: string; memberId?: string }[]) => {
  const names = ids.flatMap(({ classId, memberId }) => [
    ...(classId ? [streams.class(classId)] : []),
    ...(memberId ? [streams.bookingQuota(memberId, WEEK)] : []),
  ]);
  const lasts = (await Promise.all(names.map((n) => t.store.readStream(n)))).flatMap((events) =>
    events.slice(-1),
  );
  const latest = lasts.map((e) => e.position).reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b));
  expect(await t.waiter.waitFor(latest, 10_000)).toBe(true);
};
const signal = () => new AbortController().signal;
const WEEK = '2030-W10';

const heldSlots = async (memberId: string) =>
  (await new CommandHandler(t.store).load(streams.bookingQuota(memberId, WEEK), weeklyQuotaDecider)).state
    .held;
const seatsOf = async (classId: string) =>
  (await new CommandHandler(t.store).load(streams.class(classId), classSeatsDecider)).state.seats;

describe('a crash between the weekly slot claim and the seat', () => {
  it('leaves a claim that the reconciler completes into the booking the member asked for', async () => {
    const world = await bookingWorld(t.commands);
    const [memberId, classId] = [await world.member(), await world.klass()];
    const bookingId = randomUUID();
    await expect(
      world
        .bookings(crashBetweenSteps)
        .book({ bookingId, classId, memberId, bookedBy: memberId }, bookingMeta()),
    ).rejects.toBeInstanceOf(Crash);
    expect([...(await heldSlots(memberId)).keys()]).toEqual([bookingId]);
    expect((await seatsOf(classId)).bookings.has(bookingId)).toBe(false);
    await caughtUp({ classId, memberId });

    const job = bookingReconciliationJob(t.db.knex, world.bookings(), { timeoutMs: 0 });
    expect(await job.run(signal())).toMatch(/^completed 1, released 0/);

    expect((await seatsOf(classId)).bookings.get(bookingId)).toMatchObject({ memberId, status: 'confirmed' });
    await caughtUp({ classId, memberId });
    // Healed: nothing left for the next run.
    expect(await job.run(signal())).toBe('completed 0, released 0, already settled 0');
  });

  it('releases the slot when the class no longer takes the booking (canceled meanwhile)', async () => {
    const world = await bookingWorld(t.commands);
    const [memberId, classId] = [await world.member(), await world.klass({ hour: 11 })];
    const bookingId = randomUUID();
    await expect(
      world
        .bookings(crashBetweenSteps)
        .book({ bookingId, classId, memberId, bookedBy: memberId }, bookingMeta()),
    ).rejects.toBeInstanceOf(Crash);
    await t.commands.handle(
      streams.class(classId),
      classSeatsDecider,
      { type: 'CancelClassWithBookings', reason: 'trainer ill', canceledBy: null },
      bookingMeta(),
    );
    await caughtUp({ classId, memberId });

    const job = bookingReconciliationJob(t.db.knex, world.bookings(), { timeoutMs: 0 });
    expect(await job.run(signal())).toMatch(/^completed 0, released 1/);
    expect((await heldSlots(memberId)).size).toBe(0);
  });

  it('leaves young claims alone: a booking may still be on its way', async () => {
    const world = await bookingWorld(t.commands);
    const [memberId, classId] = [await world.member(), await world.klass({ hour: 13 })];
    await expect(
      world
        .bookings(crashBetweenSteps)
        .book({ bookingId: randomUUID(), classId, memberId, bookedBy: memberId }, bookingMeta()),
    ).rejects.toBeInstanceOf(Crash);
    await caughtUp({ classId, memberId });
    const job = bookingReconciliationJob(t.db.knex, world.bookings(), { timeoutMs: 60_000 });
    expect(await job.run(signal())).toMatch(/^completed 0, released 0/);
    expect((await heldSlots(memberId)).size).toBe(1);
    // Clean up for the other tests' counts.
    await bookingReconciliationJob(t.db.knex, world.bookings(), { timeoutMs: 0 }).run(signal());
  });
});

describe('booking cleanup', () => {
  it('ends the waitlist of a class that has started and gives the weekly slots back', async () => {
    const world = await bookingWorld(t.commands);
    const classId = await world.klass({ maxMembers: 1, hour: 15 });
    const [first, second] = [await world.member(), await world.member()];
    const bookings = world.bookings();
    await bookings.book(
      { bookingId: randomUUID(), classId, memberId: first, bookedBy: first },
      bookingMeta(),
    );
    await bookings.book(
      { bookingId: randomUUID(), classId, memberId: second, bookedBy: second },
      bookingMeta(),
    );
    await caughtUp({ classId, memberId: first }, { memberId: second });
    // The class (2030-03-04 15:00 in Kolkata, 09:30Z) has started by half past ten.
    const later = () => new Date('2030-03-04T10:00:00Z');
    const afterStart = new BookingCommands(new CommandHandler(t.store, { clock: later }), {
      isActiveAt: async () => true,
    });
    const job = bookingCleanupJob(t.db.knex, afterStart, { clock: later });
    expect(await job.run(signal())).toBe('ended 1 waitlist places of started classes');
    expect((await seatsOf(classId)).waitlist).toEqual([]);
    expect((await heldSlots(second)).size).toBe(0);
    expect((await heldSlots(first)).size).toBe(1);
    await caughtUp({ classId, memberId: first }, { memberId: second });
    expect(await job.run(signal())).toBe('ended 0 waitlist places of started classes');
  });
});
