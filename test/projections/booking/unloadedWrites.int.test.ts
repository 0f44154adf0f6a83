import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../../../src/events/store/eventStore';
import { bookingsProjection } from '../../../src/projections/booking/bookingsProjection';
import { classesProjection } from '../../../src/projections/classes/classesProjection';
import { physicalTableName, type ProjectionDefinition } from '../../../src/projections/engine/projection';
import { ensureTables } from '../../../src/projections/engine/tables';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await ensureTables(db.knex, bookingsProjection);
  await ensureTables(db.knex, classesProjection);
});
afterAll(() => db.dispose());

let position = 0n;
const recorded = (streamId: string, revision: number, type: string, data: object): RecordedEvent => {
  position += 1n;
  return {
    id: randomUUID(),
    streamId,
    revision,
    position: { commit: position, prepare: position },
    type,
    data,
    metadata: {} as RecordedEvent['metadata'],
    createdAt: new Date(Date.UTC(2026, 10, 1, 6, 0, Number(position))),
  };
};

/** A scheduled class, and the facts of one member booking it (the live booking's batch). */
const world = () => {
  const classId = randomUUID();
  const societyId = randomUUID();
  const stream = `class-${classId}`;
  const scheduled = recorded(stream, 0, 'ClassScheduled', {
    classId,
    societyId,
    name: 'Yoga',
    classType: 'yoga',
    maxMembers: 10,
    trainerId: null,
    scheduledBy: null,
    date: '2026-11-02',
    start: 420,
    end: 480,
    startsAt: '2026-11-02T01:30:00.000Z',
    endsAt: '2026-11-02T02:30:00.000Z',
    timezone: 'Asia/Kolkata',
  });
  const booking = (revision: number) => {
    const bookingId = randomUUID();
    const memberId = randomUUID();
    const ref = { bookingId, classId, memberId };
    const placed = {
      ...ref,
      societyId,
      week: '2026-W45',
      bookedBy: memberId,
      bookedAt: '2026-11-01T05:00:00.000Z',
    };
    return {
      bookingId,
      claimed: recorded(`booking-quota-${memberId}-2026-W45`, 0, 'BookingSlotClaimed', {
        ...ref,
        societyId,
        week: '2026-W45',
        limit: 3,
        startsAt: '2026-11-02T01:30:00.000Z',
        endsAt: '2026-11-02T02:30:00.000Z',
        requestedBy: memberId,
        claimedAt: '2026-11-01T05:00:00.000Z',
      }),
      confirmed: recorded(stream, revision, 'BookingConfirmed', { ...placed, seatsLeft: 10 - revision }),
      released: recorded(`booking-quota-${memberId}-2026-W45`, 1, 'BookingSlotReleased', {
        ...ref,
        week: '2026-W45',
        reason: 'booking-canceled',
        releasedAt: '2026-11-01T06:00:00.000Z',
      }),
      canceled: (at: number) =>
        recorded(stream, at, 'BookingCanceled', {
          ...ref,
          week: '2026-W45',
          previousStatus: 'confirmed',
          waitlistPosition: null,
          reason: 'member',
          canceledBy: memberId,
          canceledAt: '2026-11-01T06:00:00.000Z',
          seatsLeft: 10,
        }),
    };
  };
  return { classId, scheduled, booking };
};

/** Applies as the engine does (each projection its handled events), answering the statements sent. */
const apply = async (events: readonly RecordedEvent[]): Promise<string[]> => {
  const sent: string[] = [];
  const record = (query: { sql: string }) => sent.push(query.sql.replace(/\s+/g, ' ').trim());
  db.knex.on('query', record);
  try {
    await db.knex.transaction(async (trx) => {
      for (const projection of [bookingsProjection, classesProjection] as ProjectionDefinition[]) {
        const mine = events.filter((e) => projection.handles.includes(e.type));
        if (mine.length === 0) continue;
        const table = (logical: string) => physicalTableName(logical, projection.version);
        await projection.applyBatch!(mine, { trx, table });
      }
    });
  } finally {
    db.knex.off('query', record);
  }
  return sent.filter((sql) => !/^(BEGIN|COMMIT)/i.test(sql));
};

const bookingRow = (id: string) =>
  db.knex(physicalTableName('bookings', bookingsProjection.version)).where({ id }).first();
const classRow = (id: string) => db.knex('classes_v2').where({ id }).first();

describe('a live booking batch writes without loading', () => {
  it('claims, books and counts the seat in one statement per table, and again changes nothing', async () => {
    const { classId, scheduled, booking } = world();
    await apply([scheduled]);
    const b = booking(1);
    const sent = await apply([b.claimed, b.confirmed]);
    expect(sent.filter((sql) => /FOR NO KEY UPDATE/.test(sql))).toEqual([]);
    // booking_quota_claims, bookings, classes: one write each.
    expect(sent).toHaveLength(3);
    const booked = await bookingRow(b.bookingId);
    const seated = await classRow(classId);
    expect(booked).toMatchObject({ status: 'confirmed', class_revision: 1 });
    expect(seated).toMatchObject({ seats_left: 9, version: 1 });

    await apply([b.claimed, b.confirmed]);
    expect(await bookingRow(b.bookingId)).toEqual(booked);
    expect(await classRow(classId)).toEqual(seated);
  });

  it('cancels a booking and releases its claim in batches of their own', async () => {
    const { classId, scheduled, booking } = world();
    await apply([scheduled]);
    const b = booking(1);
    await apply([b.claimed, b.confirmed]);
    const sent = await apply([b.canceled(2), b.released]);
    expect(sent.filter((sql) => /FOR NO KEY UPDATE/.test(sql))).toEqual([]);
    expect(await bookingRow(b.bookingId)).toMatchObject({ status: 'canceled', class_revision: 2 });
    expect(await classRow(classId)).toMatchObject({ seats_left: 10, version: 2 });
    const claim = await db
      .knex(physicalTableName('booking_quota_claims', bookingsProjection.version))
      .where({ booking_id: b.bookingId })
      .first();
    expect(claim).toMatchObject({ release_reason: 'booking-canceled' });
    expect(claim.released_at).toEqual(new Date('2026-11-01T06:00:00.000Z'));
  });

  it('folds several facts of one row in order, and never rolls a row back', async () => {
    const { classId, scheduled, booking } = world();
    await apply([scheduled]);
    const b = booking(1);
    // Booked and canceled in one batch: folded in memory, in order.
    await apply([b.claimed, b.confirmed, b.canceled(2)]);
    expect(await bookingRow(b.bookingId)).toMatchObject({ status: 'canceled', class_revision: 2 });
    expect(await classRow(classId)).toMatchObject({ seats_left: 10, version: 2 });
    // An older fact alone (a replay) is below the row's revision: the unloaded write leaves it.
    await apply([b.confirmed]);
    expect(await bookingRow(b.bookingId)).toMatchObject({ status: 'canceled', class_revision: 2 });
    expect(await classRow(classId)).toMatchObject({ seats_left: 10, version: 2 });
  });
});

describe('a cancellation’s rows change at its decision time', () => {
  // The store stamps each event a few seconds after canceledAt here (createdAt 06:00:<position>),
  // so a row that took the stamp would differ from the DELETE's answer, built from canceledAt.
  const canceledAt = new Date('2026-11-01T06:00:00.000Z');

  it('written unloaded (the cancellation alone in its batch): updated_at is canceledAt', async () => {
    const { scheduled, booking } = world();
    await apply([scheduled]);
    const b = booking(1);
    await apply([b.claimed, b.confirmed]);
    const canceled = b.canceled(2);
    expect(canceled.createdAt).not.toEqual(canceledAt);
    await apply([canceled]);
    expect(await bookingRow(b.bookingId)).toMatchObject({ canceled_at: canceledAt, updated_at: canceledAt });
  });

  it('folded (booked and canceled in one batch): updated_at is canceledAt', async () => {
    const { scheduled, booking } = world();
    await apply([scheduled]);
    const b = booking(1);
    await apply([b.claimed, b.confirmed, b.canceled(2)]);
    expect(await bookingRow(b.bookingId)).toMatchObject({ canceled_at: canceledAt, updated_at: canceledAt });
  });
});
