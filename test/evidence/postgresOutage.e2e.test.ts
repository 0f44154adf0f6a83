import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { adminWithSociety, superAdmin, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';
import { approvedMember, createPlan, pay, subscribe } from '../api/billing/billingActors';
import { recordEvidence } from './support/evidenceResults';
import { startPostgresChild, type PostgresChild } from './support/postgresChild';

/**
 * PostgreSQL stopped and started under load, on a server of this file's own. While it is down,
 * requests answer 503 problem documents (they do not hang); once it is back, the same process
 * serves again without a restart; and every write the service acknowledged (2xx) is there
 * afterwards — bookings, payments, onboarded members. Writers retry a 503 with the same
 * Idempotency-Key, as the 503's detail tells them to.
 */
const REQUEST_TIMEOUT_MS = 15_000;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

let pg: PostgresChild;
let dataDir: string;
let port: number;
let t: TestApp;
let savedAdminUrl: string | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'arcfit-outage-pg-'));
  port = await freePort();
  pg = await startPostgresChild(dataDir, port);
  // The test app makes its database on whatever server this names: ours, for this file only.
  savedAdminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  process.env.TEST_ADMIN_DATABASE_URL = pg.url;
  t = await startTestApp();
}, 120_000);

afterAll(async () => {
  await t?.dispose();
  process.env.TEST_ADMIN_DATABASE_URL = savedAdminUrl;
  await pg?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

interface Ack {
  kind: 'booking' | 'payment' | 'member';
  id: string;
  memberId: string;
}

it('fails fast with 503 while PostgreSQL is down, recovers by itself, and loses no acknowledged write', async () => {
  const root = await superAdmin(t);
  const { admin, societyId } = await adminWithSociety(t);
  const planId = (await createPlan(t, admin, societyId)).id;
  const bookers: Actor[] = [];
  const payers: Actor[] = [];
  for (let i = 0; i < 4; i++) {
    const m = await approvedMember(t, admin, societyId);
    expect((await subscribe(t, m, m.userId, planId)).status).toBe(201);
    expect(
      (await pay(t, m, { member_id: m.userId, subscription_id: planId, amount: '1200.00' })).status,
    ).toBe(200);
    bookers.push(m);
  }
  for (let i = 0; i < 6; i++) {
    const m = await approvedMember(t, admin, societyId);
    expect((await subscribe(t, m, m.userId, planId)).status).toBe(201);
    payers.push(m);
  }
  const classIds: string[] = [];
  for (let week = 0; week < 4; week++) {
    for (let day = 0; day < 5; day++) {
      const res = await request(t.app)
        .post('/api/v1/events')
        .set(...admin.auth)
        .send({
          name: `Class w${week} d${day}`,
          society_id: societyId,
          class_type: 'yoga',
          date: `2030-0${3 + week}-0${2 + day}`,
          start_time: '07:00',
          end_time: '08:00',
          max_members: 2,
        });
      expect(res.status).toBe(201);
      classIds.push(res.body.id);
    }
  }

  // The work: each item is sent until acknowledged, with one Idempotency-Key for all its tries.
  type Work = { kind: Ack['kind']; send: (key: string) => request.Test; memberId: string };
  const work: Work[] = [
    ...bookers.flatMap((m, i) =>
      classIds.slice(i * 5, i * 5 + 5).map((classId): Work => ({
        kind: 'booking',
        memberId: m.userId,
        send: (key) =>
          request(t.app)
            .post('/api/v1/bookings')
            .set(...m.auth)
            .set('Idempotency-Key', key)
            .send({ event_id: classId }),
      })),
    ),
    ...payers.map((m): Work => ({
      kind: 'payment',
      memberId: m.userId,
      send: (key) =>
        request(t.app)
          .post('/api/v1/payments')
          .set(...m.auth)
          .set('Idempotency-Key', key)
          .send({
            member_id: m.userId,
            subscription_id: planId,
            amount: '1200.00',
            transaction_id: `txn_${key}`,
          }),
    })),
    ...Array.from({ length: 20 }, (): Work => ({
      kind: 'member',
      memberId: '',
      send: (key) =>
        request(t.app)
          .post('/api/v1/members')
          .set(...admin.auth)
          .set('Idempotency-Key', key)
          .send({
            name: 'Walk-in',
            email: `walkin-${key}@example.com`,
            phone_number: `+9198${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
            society_id: societyId,
          }),
    })),
  ];

  const acks: Ack[] = [];
  const unavailable: { status: number; ms: number; type: string }[] = [];
  const otherRefusals: { status: number; type: string }[] = [];
  const hung: { kind: Ack['kind']; ms: number; error: string }[] = [];
  let down = false;
  // Conditions the chaos lane waits on, resolved by the writers as they happen (no polling).
  const when = (test: () => boolean) => {
    let resolve!: () => void;
    const reached = new Promise<void>((r) => (resolve = r));
    return { reached, check: () => test() && resolve() };
  };
  const quarterAcknowledged = when(() => acks.length >= work.length / 4);
  const outageMet = when(() => unavailable.length >= 8);
  let stopped!: () => void;
  const outage = new Promise<void>((resolve) => (stopped = resolve));

  const writer = async (items: Work[]) => {
    for (const item of items) {
      const key = randomUUID();
      for (;;) {
        const started = Date.now();
        let res: request.Response;
        try {
          res = await item.send(key).timeout(REQUEST_TIMEOUT_MS);
        } catch (error) {
          // No answer in time: the claim under test. Counted, then retried with the same key.
          hung.push({ kind: item.kind, ms: Date.now() - started, error: (error as Error).message });
          continue;
        }
        if (res.status === 503) {
          unavailable.push({ status: res.status, ms: Date.now() - started, type: res.body.type });
          outageMet.check();
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          // The 503 says to retry with the same key; do so, at a polite pace.
          await new Promise((resolve) => setTimeout(resolve, down ? 200 : 50));
          continue;
        }
        if (res.status >= 500) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
        if (res.status < 300) {
          acks.push({ kind: item.kind, id: res.body.id, memberId: item.memberId || res.body.id });
          quarterAcknowledged.check();
        } else {
          otherRefusals.push({ status: res.status, type: res.body.type });
        }
        break;
      }
    }
  };

  // Writers run throughout; PostgreSQL goes down once a quarter of the work is acknowledged.
  const lanes = 4;
  const writers = Array.from({ length: lanes }, (_, lane) =>
    writer(work.filter((_, i) => i % lanes === lane)),
  );
  const chaos = (async () => {
    await quarterAcknowledged.reached;
    down = true;
    await pg.stop();
    stopped();
    // Let the writers meet the outage for a while, then bring the server back on the same data.
    await outageMet.reached;
    pg = await startPostgresChild(dataDir, port);
    down = false;
  })();
  await outage;
  await Promise.all([...writers, chaos]);

  // Recovered by itself: the same app, never restarted, reads and writes again.
  expect(
    (
      await request(t.app)
        .get('/api/v1/auth/me')
        .set(...root.auth)
    ).status,
  ).toBe(200);

  const bookings = acks.filter((a) => a.kind === 'booking');
  const payments = acks.filter((a) => a.kind === 'payment');
  const members = acks.filter((a) => a.kind === 'member');
  let lost = 0;
  for (const m of bookers) {
    const mine = await request(t.app)
      .get(`/api/v1/members/${m.userId}/bookings?limit=100`)
      .set(...m.auth);
    expect(mine.status).toBe(200);
    const present = new Set(mine.body.map((b: { id: string }) => b.id));
    lost += bookings.filter((b) => b.memberId === m.userId && !present.has(b.id)).length;
  }
  for (const p of payments) {
    const theirs = await request(t.app)
      .get(`/api/v1/payments/${p.memberId}`)
      .set(...admin.auth);
    expect(theirs.status).toBe(200);
    const list = theirs.body as { id: string }[];
    if (!list.some((x) => x.id === p.id)) lost++;
  }
  for (const m of members) {
    if (
      (
        await request(t.app)
          .get(`/api/v1/members/${m.id}`)
          .set(...admin.auth)
      ).status !== 200
    )
      lost++;
  }
  // Nothing was acknowledged twice either: each booking id at most once.
  expect(new Set(bookings.map((b) => b.id)).size).toBe(bookings.length);

  recordEvidence('postgres-outage', {
    acknowledged: acks.length,
    acknowledgedBookings: bookings.length,
    acknowledgedPayments: payments.length,
    acknowledgedMembers: members.length,
    lostAcknowledged: lost,
    answered503: unavailable.length,
    slowest503Ms: Math.max(0, ...unavailable.map((u) => u.ms)),
    hung: hung.length,
    hungByKind: hung.map((h) => h.kind),
    otherRefusals,
  });

  expect(hung).toEqual([]);
  expect(unavailable.length).toBeGreaterThan(0);
  expect(
    unavailable.every((u) => u.type.endsWith('service-unavailable') || u.type.endsWith('read-model-behind')),
  ).toBe(true);
  expect(lost).toBe(0);
  expect(acks.length + otherRefusals.length).toBe(work.length);
  expect(bookings.length).toBe(20);
  expect(payments.length).toBe(6);
}, 240_000);
