import { randomUUID } from 'node:crypto';
import { CommandHandler } from '../../../src/commands/handling/commandHandler';
import { findPlacement } from '../../../src/commands/booking/bookingPlacement';
import { classSeatsDecider } from '../../../src/commands/booking/classSeatsDecider';
import { weeklyQuotaDecider } from '../../../src/commands/booking/weeklyQuotaDecider';
import type { EventStore, RecordedEvent } from '../../../src/events/store/eventStore';
import { MemoryEventStore } from '../../../src/events/store/memory/memoryEventStore';
import { MicroBatcher } from '../../../src/events/store/microBatcher';
import { streams } from '../../../src/events/streams';
import { bookingMeta, bookingWorld } from '../../support/booking/bookingWorld';

/**
 * Round trips of one booking and one cancellation on the write side. The memory store is wrapped
 * the way the PostgreSQL adapter coalesces: whole-stream reads asked in one turn of the event loop
 * go out as one batch. What is counted is what each would cost on PostgreSQL: read batches, and
 * append calls (appendToStreams is one statement there).
 */
const countingStore = (inner: MemoryEventStore) => {
  const counts = { readBatches: 0, appendCalls: 0 };
  const reads = new MicroBatcher<string, RecordedEvent[]>(async (ids) => {
    counts.readBatches++;
    return Promise.all(ids.map(async (id) => ({ ok: true as const, value: await inner.readStream(id) })));
  });
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'readStream')
        return (id: string, options?: object) => (options ? inner.readStream(id, options) : reads.submit(id));
      if (key === 'append' || key === 'appendToStreams') {
        const method = Reflect.get(target, key, receiver) as (...a: unknown[]) => unknown;
        return (...args: unknown[]) => {
          counts.appendCalls++;
          return method.apply(target, args);
        };
      }
      return Reflect.get(target, key, receiver);
    },
  }) as EventStore;
  const reset = () => Object.assign(counts, { readBatches: 0, appendCalls: 0 });
  return { store, counts, reset };
};

describe('round trips of a booking and a cancellation (write side)', () => {
  it('books in one wave of reads and two appends: the weekly slot, then the seat with its placement', async () => {
    const { store, counts, reset } = countingStore(new MemoryEventStore());
    const commands = new CommandHandler(store);
    const world = await bookingWorld(commands);
    const classId = await world.klass();
    const memberId = await world.member();
    const bookings = world.bookings();
    await bookings.classFact(classId); // as the route does before booking
    reset();

    const bookingId = randomUUID();
    const outcome = await bookings.book({ bookingId, classId, memberId, bookedBy: memberId }, bookingMeta());

    expect(outcome.events.map((e) => e.type)).toEqual(['BookingConfirmed']);
    expect(counts).toEqual({ readBatches: 1, appendCalls: 2 });
    // The placement is there, written with the seat.
    expect(await findPlacement(new CommandHandler(store), bookingId)).toMatchObject({ classId, memberId });
  });

  it('answers a retried booking from its first outcome and records nothing new', async () => {
    const inner = new MemoryEventStore();
    const commands = new CommandHandler(inner);
    const world = await bookingWorld(commands);
    const classId = await world.klass();
    const memberId = await world.member();
    const bookingId = randomUUID();
    const meta = bookingMeta();
    const first = await world.bookings().book({ bookingId, classId, memberId, bookedBy: memberId }, meta);
    const head = await inner.headPosition();

    const again = await world.bookings().book({ bookingId, classId, memberId, bookedBy: memberId }, meta);

    expect(again.events).toEqual(first.events);
    expect(await inner.headPosition()).toEqual(head);
  });

  it('cancels in one wave of reads after the placement and one append: the seat with its slot given back', async () => {
    const { store, counts, reset } = countingStore(new MemoryEventStore());
    const commands = new CommandHandler(store);
    const world = await bookingWorld(commands);
    const classId = await world.klass();
    const memberId = await world.member();
    const bookings = world.bookings();
    const bookingId = randomUUID();
    await bookings.book({ bookingId, classId, memberId, bookedBy: memberId }, bookingMeta());
    reset();

    const placed = await findPlacement(commands, bookingId);
    await bookings.cancel(
      { classId, bookingId, canceledBy: memberId, byAdmin: false, societyId: placed!.societyId },
      { commandId: randomUUID(), commandType: 'CancelBooking' },
    );

    // The placement read (the route finds the booking), then the society's policy: two waves.
    expect(counts).toEqual({ readBatches: 2, appendCalls: 1 });
    const { state } = await new CommandHandler(store).load(streams.class(classId), classSeatsDecider);
    expect(state.seats.bookings.get(bookingId)?.status).toBe('canceled');
    const week = state.seats.bookings.get(bookingId)!.week;
    const quota = await new CommandHandler(store).load(
      streams.bookingQuota(memberId, week),
      weeklyQuotaDecider,
    );
    expect(quota.state.held.has(bookingId)).toBe(false);
  });
});
