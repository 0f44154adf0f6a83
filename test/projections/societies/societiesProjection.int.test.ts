import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { streams } from '../../../src/events/streams';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { readCheckpoints, type Checkpoint } from '../../../src/projections/engine/checkpoints';
import {
  applyEvents,
  physicalTableName,
  type ProjectionDefinition,
} from '../../../src/projections/engine/projection';
import { ProjectionEngine } from '../../../src/projections/engine/projectionEngine';
import { billingProjection } from '../../../src/projections/billing/billingProjection';
import { societiesProjection } from '../../../src/projections/societies/societiesProjection';
import { findSociety, listSocieties } from '../../../src/projections/societies/societyQueries';
import { seedSocieties } from '../../support/seedSocieties';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

let db: TestDatabase;
let store: PostgresEventStore;
beforeEach(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool, { pollIntervalMs: 100 });
});
afterEach(async () => {
  await store.close();
  await db.dispose();
});

/**
 * Version 1 of the projection as it was before the booking settings: its table has no columns for
 * them. Kept per event and plain SQL: all it must do is leave a version-1 table to upgrade from.
 */
const societiesV1: ProjectionDefinition = {
  name: 'societies',
  version: 1,
  handles: ['SocietyRegistered', 'SocietyDetailsChanged'],
  tables: {
    societies: (t) => {
      t.uuid('id').primary();
      t.text('name').notNullable();
      t.text('location').notNullable();
      t.integer('max_members_per_event').notNullable();
      t.integer('capacity').notNullable();
      t.decimal('revenue_details', 12, 2).notNullable().defaultTo(0);
      t.text('currency').notNullable().defaultTo('INR');
      t.text('timezone').notNullable();
      t.double('latitude');
      t.double('longitude');
      t.uuid('created_by');
      t.integer('version').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
    },
  },
  apply: async (event, { trx, table }) => {
    const d = event.data as Record<string, never>;
    if (event.type === 'SocietyRegistered')
      await trx(table('societies'))
        .insert({
          id: d.societyId,
          name: d.name,
          location: d.location,
          max_members_per_event: d.maxMembersPerEvent,
          capacity: d.capacity,
          timezone: d.timezone,
          latitude: d.latitude,
          longitude: d.longitude,
          created_by: d.registeredBy,
          version: event.revision,
          created_at: event.createdAt,
          updated_at: event.createdAt,
        })
        .onConflict('id')
        .ignore();
    else
      await trx(table('societies'))
        .where({ id: d.societyId })
        .update({ version: event.revision, updated_at: event.createdAt });
  },
};

/**
 * Runs this version of the societies projection until its checkpoint satisfies `done`. Billing runs
 * beside it: society lookups read its `revenue_entries`.
 */
const runUntil = async (societies: ProjectionDefinition, done: (c: Checkpoint) => boolean) => {
  const projections = [societies, billingProjection];
  const engine = new ProjectionEngine(db.knex, store, projections, pino({ level: 'silent' }), {
    batchSize: 50,
    idleMs: 100,
    retryDelayMs: 50,
  });
  const reached = new Promise<void>((resolve) =>
    engine.onAdvance((c) => c.name === 'societies' && done(c) && resolve()),
  );
  engine.start();
  await reached;
  await engine.close();
};

const registration = (societyId: string, settings: Record<string, number>) => ({
  id: randomUUID(),
  type: 'SocietyRegistered',
  data: {
    societyId,
    registeredBy: null,
    name: `Configured ${societyId}`,
    location: 'Sector 62',
    maxMembersPerEvent: 20,
    capacity: 100,
    timezone: 'Asia/Kolkata',
    latitude: null,
    longitude: null,
    ...settings,
  },
});

describe('societies projection: the booking settings', () => {
  it('upgrades from version 1: lookups work while version 2 rebuilds, old societies get the defaults', async () => {
    await seedSocieties(store, 20, 1); // registered before the settings existed
    const total = async () => Number((await db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
    const v1Events = await total();
    await runUntil(societiesV1, (c) => c.eventsApplied === v1Events);

    // New facts the version-1 table cannot show: a configured society, a changed old one.
    const configured = randomUUID();
    await store.append(
      streams.society(configured),
      [registration(configured, { weeklyBookingLimit: 2, cancellationCutoffMinutes: 180 })],
      { expectedRevision: 'no_stream' },
    );
    const [old] = await listSocieties(db.knex, { limit: 1, revenueOf: 'every' });
    await store.append(
      streams.society(old!.id),
      [
        {
          id: randomUUID(),
          type: 'SocietyDetailsChanged',
          data: { societyId: old!.id, changes: { weeklyBookingLimit: 3 } },
        },
      ],
      { expectedRevision: 1 },
    );

    // Until version 2 takes over, readers see version 1's table, with the defaults filled in.
    expect(await findSociety(db.knex, old!.id)).toMatchObject({
      weekly_booking_limit: 5,
      cancellation_cutoff_minutes: 60,
    });

    await runUntil(societiesProjection, (c) => c.version === 2 && c.status === 'active');
    const checkpoints = (await readCheckpoints(db.knex)).filter((c) => c.name === 'societies');
    expect(checkpoints.map((c) => [c.version, c.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    expect(await db.knex.schema.hasTable(physicalTableName('societies', 1))).toBe(false);

    expect(await findSociety(db.knex, configured)).toMatchObject({
      weekly_booking_limit: 2,
      cancellation_cutoff_minutes: 180,
    });
    expect(await findSociety(db.knex, old!.id)).toMatchObject({
      weekly_booking_limit: 3,
      cancellation_cutoff_minutes: 60,
      version: 2,
    });
    const rows = await listSocieties(db.knex, { limit: 100, revenueOf: 'every' });
    expect(rows).toHaveLength(21);
    // The list statement, prepared while version 1 served, reads version 2's columns after the switch.
    expect(rows.find((r) => r.id === configured)).toMatchObject({
      weekly_booking_limit: 2,
      cancellation_cutoff_minutes: 180,
    });
    const untouched = rows.filter((r) => r.id !== configured && r.id !== old!.id);
    expect(untouched.every((r) => r.weekly_booking_limit === 5 && r.cancellation_cutoff_minutes === 60)).toBe(
      true,
    );
    // Analysts see them too.
    const { rows: analysts } = await db.pool.query(
      'SELECT weekly_booking_limit, cancellation_cutoff_minutes FROM analytics.societies WHERE id = $1',
      [configured],
    );
    expect(analysts).toEqual([{ weekly_booking_limit: 2, cancellation_cutoff_minutes: 180 }]);
  });

  it('changes nothing when the same events are applied again', async () => {
    const configured = randomUUID();
    await store.append(
      streams.society(configured),
      [
        registration(configured, { weeklyBookingLimit: 4 }),
        {
          id: randomUUID(),
          type: 'SocietyDetailsChanged',
          data: { societyId: configured, changes: { cancellationCutoffMinutes: 0 } },
        },
        {
          id: randomUUID(),
          type: 'SocietyDetailsChanged',
          data: { societyId: configured, changes: { weeklyBookingLimit: 1 } },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await runUntil(societiesProjection, (c) => c.eventsApplied === 3);
    const before = await db.knex('societies').where({ id: configured }).first();
    expect(before).toMatchObject({ weekly_booking_limit: 1, cancellation_cutoff_minutes: 0 });

    const events = (await store.readAll({ maxCount: 100 })).filter((e) =>
      societiesProjection.handles.includes(e.type),
    );
    const ctx = { table: (l: string) => physicalTableName(l, societiesProjection.version) };
    await db.knex.transaction((trx) => applyEvents(societiesProjection, events, { ...ctx, trx }));
    expect(await db.knex('societies').where({ id: configured }).first()).toEqual(before);
  });
});
