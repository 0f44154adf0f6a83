import { notificationIdFor } from '../../../src/events/notifications/notificationIds';
import type { RecordedEvent } from '../../../src/events/store/eventStore';
import { physicalTableName } from '../../../src/projections/engine/projection';
import { ensureTables } from '../../../src/projections/engine/tables';
import { notificationsProjection } from '../../../src/projections/notifications/notificationsProjection';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

/**
 * A live booking batch waits for the notifications projection's statements inside the engine's
 * shared transaction: each one is a round trip every booking's answer waits for. The batch must
 * load what it reads in one statement and write everything in one, and write the same rows.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await ensureTables(db.knex, notificationsProjection);
});
afterAll(() => db.dispose());

/** Ids that say what they are: the n-th member, event, … */
const id = (kind: number, n: number) =>
  `00000000-0000-4000-8000-${String(kind).padStart(4, '0')}${String(n).padStart(8, '0')}`;
const SOCIETY = id(1, 1);
const CLASS = id(2, 1);
const member = (n: number) => id(3, n);
const SUBSCRIPTION = id(4, 1);
const NOW = Date.UTC(2026, 10, 1, 6, 0, 0);
const STARTS_AT = '2026-11-05T01:30:00.000Z';

let position = 0n;
const recorded = (type: string, data: object): RecordedEvent => {
  position += 1n;
  return {
    id: id(9, Number(position)),
    streamId: `class-${CLASS}`,
    revision: Number(position),
    position: { commit: position, prepare: position },
    type,
    data,
    metadata: {} as RecordedEvent['metadata'],
    createdAt: new Date(NOW - 1_000 + Number(position)),
  };
};
const seat = (n: number) => ({ bookingId: id(5, n), classId: CLASS, memberId: member(n) });
const confirmed = (n: number) =>
  recorded('BookingConfirmed', {
    ...seat(n),
    societyId: SOCIETY,
    week: '2026-W45',
    bookedBy: member(n),
    bookedAt: '2026-11-01T05:59:59.000Z',
    seatsLeft: 10 - n,
  });
const canceled = (n: number) =>
  recorded('BookingCanceled', {
    ...seat(n),
    week: '2026-W45',
    previousStatus: 'confirmed',
    waitlistPosition: null,
    reason: 'member',
    canceledBy: member(n),
    canceledAt: '2026-11-01T05:59:59.000Z',
    seatsLeft: 7,
  });

const table = (logical: string) => physicalTableName(logical, notificationsProjection.version);

/** Applies a batch as the engine does, at a fixed clock; answers the statements it sent. */
const apply = async (events: readonly RecordedEvent[]): Promise<string[]> => {
  const sent: string[] = [];
  const record = (query: { sql: string }) => sent.push(query.sql.replace(/\s+/g, ' ').trim());
  const clock = jest.spyOn(Date, 'now').mockReturnValue(NOW);
  db.knex.on('query', record);
  try {
    await db.knex.transaction((trx) => notificationsProjection.applyBatch!(events, { trx, table }));
  } finally {
    db.knex.off('query', record);
    clock.mockRestore();
  }
  return sent.filter((sql) => !/^(BEGIN|COMMIT)/i.test(sql));
};

const outbox = () =>
  db
    .knex('notifications')
    .select('notification_type', 'member_id', 'status', 'scheduled_time', 'event_id', 'email')
    .select('id')
    .orderBy(['notification_type', 'member_id']);

beforeAll(async () => {
  await db.knex(table('notification_classes')).insert({
    id: CLASS,
    society_id: SOCIETY,
    name: 'Yoga',
    starts_at: STARTS_AT,
    timezone: 'Asia/Kolkata',
    trainer_id: null,
    status: 'scheduled',
  });
  await db.knex(table('notification_members')).insert(
    [1, 2, 3, 4].map((n) => ({
      id: member(n),
      user_id: null,
      society_id: SOCIETY,
      status: 'approved',
      name: `Member ${n}`,
      email: `m${n}@example.com`,
      phone_number: null,
    })),
  );
  await db.knex('webhook_subscriptions').insert({
    id: SUBSCRIPTION,
    society_id: SOCIETY,
    url: 'https://hooks.example.com/arcfit',
    event_types: ['booking.confirmed', 'booking.canceled'],
    secret: 'not-a-secret',
    created_by: member(1),
  });
});

const remindAt = new Date(new Date(STARTS_AT).getTime() - 24 * 3_600_000);

describe('a live batch of the notifications projection', () => {
  it('tells 4 bookings in one load and one write', async () => {
    const events = [1, 2, 3, 4].map(confirmed);
    const sent = await apply(events);

    expect(await outbox()).toEqual([
      ...events.map((e, i) => ({
        id: notificationIdFor(e.id, 'booking_confirmation', member(i + 1)),
        notification_type: 'booking_confirmation',
        member_id: member(i + 1),
        status: 'pending',
        scheduled_time: e.createdAt,
        event_id: CLASS,
        email: `m${i + 1}@example.com`,
      })),
      ...events.map((e, i) => ({
        id: notificationIdFor(e.id, 'reminder', member(i + 1)),
        notification_type: 'reminder',
        member_id: member(i + 1),
        status: 'pending',
        scheduled_time: remindAt,
        event_id: CLASS,
        email: `m${i + 1}@example.com`,
      })),
    ]);
    const seats = await db.knex(table('notification_bookings')).orderBy('member_id');
    expect(seats.map((s) => s.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    const deliveries = await db.knex('webhook_deliveries').orderBy('event_id');
    expect(deliveries.map((d) => [d.event_id, d.event_type])).toEqual(
      events.map((e) => [e.id, 'booking.confirmed']),
    );
    // The working rows (class, members) in one SELECT; bookings, outbox, deliveries in one write.
    expect(sent).toHaveLength(2);
  });

  it('tells a cancellation in one load and one write, canceling the reminder queued earlier', async () => {
    const event = canceled(2);
    const sent = await apply([event]);

    const rows = await outbox();
    expect(rows.filter((r) => r.member_id === member(2)).map((r) => [r.notification_type, r.status])).toEqual(
      [
        ['booking_confirmation', 'pending'],
        ['cancellation', 'pending'],
        ['reminder', 'canceled'],
      ],
    );
    expect(rows.filter((r) => r.status === 'canceled')).toHaveLength(1);
    const seat2 = await db
      .knex(table('notification_bookings'))
      .where({ member_id: member(2) })
      .first();
    expect(seat2).toMatchObject({ status: 'canceled' });
    expect(await db.knex('webhook_deliveries').where({ event_id: event.id })).toHaveLength(1);
    // The working rows and the class's pending reminders in one SELECT; everything else in one write.
    expect(sent).toHaveLength(2);
  });

  it('sends nothing again for a replayed batch beyond its load and its write', async () => {
    const before = await outbox();
    const sent = await apply([1, 2, 3, 4].map(confirmed).map((e, i) => ({ ...e, id: id(9, i + 1) })));
    expect(await outbox()).toEqual(before);
    expect(sent.length).toBeLessThanOrEqual(2);
  });

  it('reads nothing for a batch of stale facts: its one statement writes the seat', async () => {
    const before = await outbox();
    const stale = { ...confirmed(5), createdAt: new Date(NOW - 365 * 24 * 3_600_000) };
    const sent = await apply([stale]);
    expect(await outbox()).toEqual(before);
    const seat5 = await db
      .knex(table('notification_bookings'))
      .where({ member_id: member(5) })
      .first();
    expect(seat5).toMatchObject({ status: 'confirmed' });
    expect(sent).toHaveLength(1);
  });
});
