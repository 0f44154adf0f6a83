import pino from 'pino';
import request from 'supertest';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { Scheduler } from '../../../src/scheduler/scheduler';
import { hashChainVerificationJobs } from '../../../src/scheduler/jobs/audit/hashChainVerificationJobs';
import { superAdmin, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';
import { driveSociety, readSideCaughtUp } from './auditScenario';

const api = '/api/v1';
let t: TestApp;
let root: Actor;
let auditor: [string, string];
let world: Awaited<ReturnType<typeof driveSociety>>;

/** The verification runs the POST started, to wait for them (the job runs beside the request). */
const verificationRuns: Promise<unknown>[] = [];

beforeAll(async () => {
  t = await startTestApp({
    jobs: (db) => {
      // The jobs read the store as written (hashes cover the stored bytes): the inner PostgreSQL store.
      const scheduler = new Scheduler(
        db,
        hashChainVerificationJobs(new PostgresEventStore(db.pool), db.knex),
        pino({ level: 'silent' }),
      );
      return {
        scheduler: {
          taskNames: scheduler.taskNames,
          hasTask: (name) => scheduler.hasTask(name),
          setSchedule: (...args) => scheduler.setSchedule(...args),
          requestStop: (...args) => scheduler.requestStop(...args),
          status: (...args) => scheduler.status(...args),
          trigger: async (name) => {
            const started = await scheduler.trigger(name);
            if (started !== 'skipped') verificationRuns.push(started.done);
            return started;
          },
        },
        triggersPerMinute: 5,
      };
    },
  });
  root = await superAdmin(t);
  const created = await request(t.app)
    .post(`${api}/auditors`)
    .set(...root.auth)
    .send({ name: 'Ira Auditor', email: 'ira@audit.example', password: 'a long auditor passphrase' });
  expect(created.status).toBe(201);
  const login = await request(t.app)
    .post(`${api}/auth/login`)
    .send({ email: 'ira@audit.example', password: 'a long auditor passphrase' });
  expect(login.body.user).toMatchObject({ role: 'auditor' });
  auditor = ['Authorization', `Bearer ${login.body.token}`];
  world = await driveSociety(t);
  await readSideCaughtUp(t);
}, 120_000);
afterAll(async () => t.dispose());

describe('histories', () => {
  it('tells a booking’s story in order — seat, cancellation — with time, actor, command and causation', async () => {
    const res = await request(t.app)
      .get(`${api}/bookings/${world.bookingIds[0]}/history`)
      .set(...auditor);
    expect(res.status).toBe(200);
    const types = res.body.facts.map((f: { type: string }) => f.type);
    expect(types).toEqual(expect.arrayContaining(['BookingConfirmed', 'BookingCanceled']));
    expect(types.indexOf('BookingConfirmed')).toBeLessThan(types.indexOf('BookingCanceled'));
    for (const fact of res.body.facts) {
      expect(fact).toMatchObject({
        occurred_at: expect.any(String),
        command_id: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      // The answer's JSON is snake_case throughout, the facts' data included.
      expect((fact.data as { booking_id: string }).booking_id).toBe(world.bookingIds[0]);
      expect(fact.data).not.toHaveProperty('bookingId');
    }
    const canceled = res.body.facts.find((f: { type: string }) => f.type === 'BookingCanceled');
    expect(canceled.actor).toMatchObject({ id: world.members[0]!.userId, role: 'member' });
  });

  it('shows the waitlisted booking promoted by the other member’s cancellation', async () => {
    const res = await request(t.app)
      .get(`${api}/bookings/${world.bookingIds[1]}/history`)
      .set(...auditor);
    expect(res.body.facts.map((f: { type: string }) => f.type)).toEqual(
      expect.arrayContaining(['BookingWaitlisted', 'BookingPromoted']),
    );
  });

  it('folds a booking’s state as of an instant: waiting before the promotion, confirmed after', async () => {
    const full = await request(t.app)
      .get(`${api}/bookings/${world.bookingIds[1]}/history`)
      .set(...auditor);
    const promoted = full.body.facts.find((f: { type: string }) => f.type === 'BookingPromoted');
    const justBefore = new Date(new Date(promoted.occurred_at).getTime() - 1).toISOString();
    const before = await request(t.app)
      .get(`${api}/bookings/${world.bookingIds[1]}/history`)
      .query({ as_of: justBefore })
      .set(...auditor);
    expect(before.status).toBe(200);
    expect(before.body.state).toMatchObject({ exists: true, status: 'waitlist', waitlist_position: 1 });
    expect(before.body.facts.map((f: { type: string }) => f.type)).not.toContain('BookingPromoted');
    const after = await request(t.app)
      .get(`${api}/bookings/${world.bookingIds[1]}/history`)
      .query({ as_of: promoted.occurred_at })
      .set(...auditor);
    expect(after.body.state).toMatchObject({ exists: true, status: 'confirmed', waitlist_position: null });
  });

  it('tells a payment’s and a member’s story, and a member’s state before their rename', async () => {
    const payment = await request(t.app)
      .get(`${api}/payments/${world.paymentIds[0]}/history`)
      .set(...auditor);
    expect(payment.status).toBe(200);
    expect(payment.body.facts[0].stream_id).toBe(`payment-${world.paymentIds[0]}`);

    const member = world.members[0]!;
    const history = await request(t.app)
      .get(`${api}/members/${member.userId}/history`)
      .set(...auditor);
    const types = history.body.facts.map((f: { type: string }) => f.type);
    expect(types).toEqual(
      expect.arrayContaining(['UserRegistered', 'MemberOnboarded', 'MemberApproved', 'MemberProfileChanged']),
    );
    const renamed = history.body.facts.find((f: { type: string }) => f.type === 'MemberProfileChanged');
    const before = await request(t.app)
      .get(`${api}/members/${member.userId}/history`)
      .query({ as_of: new Date(new Date(renamed.occurred_at).getTime() - 1).toISOString() })
      .set(...auditor);
    expect(before.body.state).toMatchObject({
      exists: true,
      status: 'approved',
      profile: { name: 'Test member' },
    });
  });

  it('answers 404 for what never happened and 400 for a time that is not one', async () => {
    const missing = await request(t.app)
      .get(`${api}/payments/00000000-0000-4000-8000-000000000000/history`)
      .set(...auditor);
    expect([missing.status, missing.body.type]).toEqual([404, expect.stringMatching(/payment-not-found$/)]);
    const bad = await request(t.app)
      .get(`${api}/members/${world.members[0]!.userId}/history?as_of=yesterday`)
      .set(...auditor);
    expect(bad.status).toBe(400);
  });
});

describe('the audit trail', () => {
  it('filters by type and society and pages with a cursor, each event once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app)
        .get(`${api}/audit/events`)
        .query({
          society_id: world.societyId,
          type: 'BookingConfirmed,BookingWaitlisted',
          limit: 1,
          ...(cursor ? { after: cursor } : {}),
        })
        .set(...auditor);
      expect(res.status).toBe(200);
      seen.push(...res.body.events.map((e: { event_id: string }) => e.event_id));
      for (const e of res.body.events)
        expect((e.data as { societyId: string }).societyId).toBe(world.societyId);
      cursor = res.body.next_cursor;
    } while (cursor);
    // The two bookings of this society's class, one per page, each once.
    expect(seen).toHaveLength(2);
    expect(new Set(seen).size).toBe(2);
  });

  it('exports the same events as NDJSON, one verifiable fact per line', async () => {
    const res = await request(t.app)
      .get(`${api}/audit/events/export`)
      .query({ stream: 'member-*' })
      .set(...auditor);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) expect(line.stream_id).toMatch(/^member-/);
  });

  it('verifies the hash chains in the background and answers what the walk found', async () => {
    const before = await request(t.app)
      .get(`${api}/audit/hash-chains`)
      .set(...auditor);
    expect(before.body).toMatchObject({ events_checked: 0, verified_through: '-1/-1', finished_at: null });
    const started = await request(t.app)
      .post(`${api}/audit/hash-chains/verification`)
      .set(...auditor);
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`${api}/audit/hash-chains`);
    await Promise.all(verificationRuns);
    const res = await request(t.app)
      .get(`${api}/audit/hash-chains`)
      .set(...auditor);
    expect(res.body).toMatchObject({
      ok: true,
      broken_links: [],
      head_digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.body.events_checked).toBeGreaterThan(20);
    expect(res.body.finished_at).not.toBeNull();
  });

  it('is for auditors and super admins only', async () => {
    expect((await request(t.app).get(`${api}/audit/events`)).status).toBe(401);
    expect(
      (
        await request(t.app)
          .get(`${api}/audit/events`)
          .set(...world.admin.auth)
      ).status,
    ).toBe(403);
    expect(
      (
        await request(t.app)
          .get(`${api}/audit/events`)
          .set(...root.auth)
      ).status,
    ).toBe(200);
    const auditorWrites = await request(t.app)
      .post(`${api}/societies`)
      .set(...auditor)
      .send({ name: 'Not allowed', location: 'x' });
    expect(auditorWrites.status).toBe(403);
  });
});
