import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniquePhone } from '../support/actors';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { recordEvidence } from './support/evidenceResults';
import { replicaCluster, type Cluster } from './support/replicaCluster';

/**
 * The production shape, each part its own process: three stateless API replicas
 * (RUN_PROJECTIONS=false) and one worker, on one PostgreSQL database with one JWT secret; requests
 * are spread round-robin over the replicas. What must hold across processes: seats, the weekly
 * limit and waitlist order under a booking storm; a write answered by one replica read from
 * another at its position; one auth rate-limit budget for all replicas; one run per scheduler tick.
 * The replicas sit "behind a proxy" (TRUST_PROXY=1): each client names itself in X-Forwarded-For,
 * so the members signing up have a budget each and the rate-limit check has one client of its own.
 */
const MEMBERS = 60;
const CLASSES = 4;
const SEATS = 10;
const WEEKLY_LIMIT = 1;
const AUTH_LIMIT = 5;
const PASSWORD = 'a long passphrase for replicas';
const TICK_JOB = 'request_records_expiry';

let db: TestDatabase;
let dataDir: string;
let cluster: Cluster;
let apis: string[] = [];

interface Answer {
  status: number;
  position: string | null;
  body: Record<string, unknown>;
}

const call = async (
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; client?: string } = {},
): Promise<Answer> => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.client ? { 'x-forwarded-for': opts.client } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    position: res.headers.get('arcfit-position'),
    body: text ? JSON.parse(text) : {},
  };
};

const ok = async (what: string, pending: Promise<Answer>, expected = [200, 201]) => {
  const res = await pending;
  if (!expected.includes(res.status)) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
};

/** Runs `work` over items, `width` at a time. */
const inLanes = async <T, R>(items: T[], width: number, work: (item: T, i: number) => Promise<R>) => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!, i);
      }
    }),
  );
  return out;
};

beforeAll(async () => {
  db = await createTestDatabase({ maxConnections: 10 });
  dataDir = mkdtempSync(join(tmpdir(), 'arcfit-replicas-'));
  cluster = replicaCluster(db, dataDir, {
    AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH_LIMIT),
    TRUST_PROXY: '1',
    READ_YOUR_WRITES_TIMEOUT_MS: '15000',
  });
  // The worker first: on a fresh database one process runs the migrations (compose does the same).
  await cluster.startWorker({ CRON_REQUEST_RECORDS_EXPIRY: '* * * * * *' });
  apis = await Promise.all([cluster.startApi(), cluster.startApi(), cluster.startApi()]);
}, 180_000);

afterAll(async () => {
  await cluster?.stopAll();
  await db?.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** The n-th request goes to replica n mod 3. */
const replica = (n: number) => apis[n % apis.length]!;

let adminToken = '';
let societyId = '';

it('a booking storm over three replicas: no class over capacity, no member over the weekly limit, waitlists gapless', async () => {
  const admin = await ok(
    'admin',
    call(replica(0), 'POST', '/api/v1/auth/signup', {
      client: '10.9.0.1',
      body: {
        role: 'society_admin',
        name: 'Replica admin',
        email: `replica-admin-${randomUUID()}@example.com`,
        phone_number: uniquePhone(),
        password: PASSWORD,
      },
    }),
  );
  adminToken = admin.body.token as string;
  const society = await ok(
    'society',
    call(replica(1), 'POST', '/api/v1/societies', {
      token: adminToken,
      body: { name: `Replicas ${randomUUID()}`, location: 'Noida', weekly_booking_limit: WEEKLY_LIMIT },
    }),
  );
  societyId = society.body.id as string;
  const plan = await ok(
    'plan',
    call(replica(2), 'POST', '/api/v1/subscriptions', {
      token: adminToken,
      body: {
        society_id: societyId,
        name: 'Monthly',
        price: '100.00',
        currency: 'INR',
        duration_in_days: 30,
      },
    }),
  );
  // Four classes of one week (2030-03-04 is a Monday): the weekly limit spans all of them.
  const classIds: string[] = [];
  for (let c = 0; c < CLASSES; c++) {
    const lesson = await ok(
      'class',
      call(replica(c), 'POST', '/api/v1/events', {
        token: adminToken,
        body: {
          name: `Storm ${c}`,
          society_id: societyId,
          class_type: 'yoga',
          date: `2030-03-0${4 + c}`,
          start_time: '07:00',
          end_time: '08:00',
          max_members: SEATS,
        },
      }),
    );
    classIds.push(lesson.body.id as string);
  }

  // Sixty members: signed up, approved, subscribed and paid, each step on the next replica.
  const members = await inLanes([...Array(MEMBERS).keys()], 8, async (i) => {
    const signedUp = await ok(
      'member',
      call(replica(i), 'POST', '/api/v1/auth/signup', {
        client: `10.8.${Math.floor(i / 200)}.${(i % 200) + 1}`,
        body: {
          role: 'member',
          name: `Member ${i}`,
          email: `replica-member-${randomUUID()}@example.com`,
          phone_number: uniquePhone(),
          password: PASSWORD,
          society_id: societyId,
        },
      }),
    );
    const id = (signedUp.body.user as { id: string }).id;
    await ok(
      'approve',
      call(replica(i + 1), 'POST', `/api/v1/members/${id}/status`, {
        token: adminToken,
        body: { status: 'approved' },
      }),
    );
    const subscribed = await ok(
      'subscribe',
      call(replica(i + 2), 'POST', `/api/v1/members/${id}/subscribe`, {
        token: adminToken,
        body: { subscription_id: plan.body.id },
      }),
    );
    await ok(
      'pay',
      call(replica(i), 'POST', '/api/v1/payments', {
        token: adminToken,
        body: {
          member_id: id,
          subscription_id: plan.body.id,
          amount: subscribed.body.amount_due,
          transaction_id: `txn_${randomUUID()}`,
        },
      }),
    );
    return { id, token: signedUp.body.token as string };
  });

  // The storm: every member books two classes at once, 120 requests round-robin over the replicas.
  const requests = members.flatMap((m, i) => [
    { member: m, classId: classIds[i % CLASSES]! },
    { member: m, classId: classIds[(i + 1) % CLASSES]! },
  ]);
  const answers = await Promise.all(
    requests.map((r, n) =>
      call(replica(n), 'POST', '/api/v1/bookings', { token: r.member.token, body: { event_id: r.classId } }),
    ),
  );
  const sentPerReplica = apis.map((_, k) => requests.filter((_r, n) => n % apis.length === k).length);
  const refusals = answers.filter((a) => a.status === 422);
  expect(answers.filter((a) => ![201, 202, 422].includes(a.status))).toEqual([]);
  expect(refusals.every((a) => String(a.body.type).endsWith('weekly-limit-reached'))).toBe(true);

  // Counted from the read tables once the worker has applied everything.
  await cluster.readSideCaughtUp();
  const { rows: perClass } = await db.pool.query<{
    event_id: string;
    confirmed: number;
    waitlisted: number;
    positions: number[] | null;
  }>(
    `SELECT event_id, count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed,
            count(*) FILTER (WHERE status = 'waitlist')::int AS waitlisted,
            array_agg(waitlist_position ORDER BY waitlist_position) FILTER (WHERE status = 'waitlist') AS positions
       FROM bookings WHERE event_id = ANY($1) GROUP BY event_id`,
    [classIds],
  );
  const { rows: perMember } = await db.pool.query<{ held: number }>(
    `SELECT count(*)::int AS held FROM bookings WHERE event_id = ANY($1) AND status <> 'canceled' GROUP BY member_id`,
    [classIds],
  );
  for (const c of perClass) {
    expect(c.confirmed).toBeLessThanOrEqual(SEATS);
    // A seat is never left empty while someone waits, and the waitlist is numbered 1..n.
    if (c.waitlisted > 0) expect(c.confirmed).toBe(SEATS);
    expect(c.positions ?? []).toEqual(Array.from({ length: c.waitlisted }, (_, k) => k + 1));
  }
  expect(perMember).toHaveLength(MEMBERS);
  expect(perMember.every((m) => m.held === WEEKLY_LIMIT)).toBe(true);

  const figures = {
    replicas: apis.length,
    bookingRequests: requests.length,
    sentPerReplica,
    answered201: answers.filter((a) => a.status === 201).length,
    answered202: answers.filter((a) => a.status === 202).length,
    refusedWeeklyLimit: refusals.length,
    confirmed: perClass.reduce((n, c) => n + c.confirmed, 0),
    waitlisted: perClass.reduce((n, c) => n + c.waitlisted, 0),
    perClass: perClass.map((c) => ({ confirmed: c.confirmed, waitlisted: c.waitlisted })),
    overCapacity: perClass.filter((c) => c.confirmed > SEATS).length,
    overWeeklyLimit: perMember.filter((m) => m.held > WEEKLY_LIMIT).length,
  };
  console.log('booking storm over three replicas', JSON.stringify(figures));
  recordEvidence('replicas-booking-storm', figures);
  expect(figures.confirmed + figures.waitlisted).toBe(MEMBERS * WEEKLY_LIMIT);
}, 300_000);

it('a write answered by one replica is read from another at the position it answered with', async () => {
  const created = await ok(
    'class',
    call(replica(0), 'POST', '/api/v1/events', {
      token: adminToken,
      body: {
        name: 'Read me elsewhere',
        society_id: societyId,
        class_type: 'yoga',
        date: '2030-04-01',
        start_time: '09:00',
        end_time: '10:00',
      },
    }),
  );
  expect(created.position).toMatch(/^\d+\/\d+$/);
  const read = await call(
    replica(1),
    'GET',
    `/api/v1/events/${created.body.id as string}?min_position=${encodeURIComponent(created.position!)}`,
    { token: adminToken },
  );
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ id: created.body.id, name: 'Read me elsewhere' });
});

it(`the auth rate limit of ${AUTH_LIMIT} a minute admits ${AUTH_LIMIT} across three replicas, not ${3 * AUTH_LIMIT}`, async () => {
  const answers: { replica: number; status: number }[] = [];
  for (let n = 0; n < 3 * AUTH_LIMIT; n++) {
    const res = await call(replica(n), 'POST', '/api/v1/auth/login', {
      client: '198.51.100.77',
      body: { email: `nobody-${n}@example.com`, password: 'wrong password here' },
    });
    answers.push({ replica: n % apis.length, status: res.status });
  }
  const admitted = answers.filter((a) => a.status !== 429);
  const figures = {
    limitPerMinute: AUTH_LIMIT,
    attempts: answers.length,
    admitted: admitted.length,
    admittedPerReplica: apis.map((_, k) => admitted.filter((a) => a.replica === k).length),
  };
  console.log('auth rate limit across replicas', JSON.stringify(figures));
  recordEvidence('replicas-rate-limit', figures);
  expect(admitted).toHaveLength(AUTH_LIMIT);
  expect(answers.slice(AUTH_LIMIT).every((a) => a.status === 429)).toBe(true);
});

it('a scheduled job runs once per tick while two processes schedule it', async () => {
  // The scheduler runs in workers only (APIs with RUN_PROJECTIONS=false do not start it). A
  // second worker, as in a rolling deploy's overlap, schedules the same every-second job.
  const second = await cluster.startWorker({ CRON_REQUEST_RECORDS_EXPIRY: '* * * * * *' });
  const { rows: started } = await db.pool.query<{ at: Date }>(`SELECT now() + interval '1 second' AS at`);
  const since = started[0]!.at;
  const ticksSince = async () =>
    (
      await db.pool.query<{ scheduled_for: Date; runs: number }>(
        `SELECT scheduled_for, count(*)::int AS runs FROM job_runs
          WHERE job = $1 AND trigger = 'scheduled' AND scheduled_for >= $2 GROUP BY scheduled_for`,
        [TICK_JOB, since],
      )
    ).rows;
  // Wait for ticks to be recorded (a condition on the table, polled; no fixed sleep).
  for (let polls = 0; (await ticksSince()).length < 8; polls++) {
    if (polls > 600) throw new Error('fewer than 8 ticks recorded in 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await cluster.stop(second);
  const ticks = await ticksSince();
  // A tick claimed by one process and then by the other spends an id the unique key refuses.
  const { rows: lost } = await db.pool.query<{ refused: number }>(
    `SELECT count(*)::int AS refused FROM generate_series(
        (SELECT min(id) FROM job_runs WHERE job = $1 AND scheduled_for >= $2),
        (SELECT max(id) FROM job_runs WHERE job = $1 AND scheduled_for >= $2)) AS g(id)
      WHERE NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.id = g.id)`,
    [TICK_JOB, since],
  );
  const figures = {
    job: TICK_JOB,
    schedulingProcesses: 2,
    ticks: ticks.length,
    runsPerTickMax: Math.max(...ticks.map((t) => t.runs)),
    tickClaimsRefusedByUniqueKey: lost[0]!.refused,
  };
  console.log('scheduler ticks across two processes', JSON.stringify(figures));
  recordEvidence('replicas-scheduler', figures);
  expect(ticks.every((t) => t.runs === 1)).toBe(true);
}, 120_000);
