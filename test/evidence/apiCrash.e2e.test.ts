import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { PositionWaiter } from '../../src/projections/engine/positionWaiter';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { recordEvidence } from './support/evidenceResults';

/**
 * The API process (src/main.ts, as `npm start` runs it) is SIGKILLed while a booking request is in
 * flight, at a different moment each round; a new process is started and the client retries with
 * the same Idempotency-Key. Each round must end with exactly one booking — never none once the
 * retry is acknowledged, never two — whatever step the kill interrupted (quota claim, seat, read
 * side).
 */
const KILL_DELAYS_MS = [0, 5, 15, 30, 60, 120, 250];
const ROOT = { email: 'crash-root@example.com', password: 'crash root passphrase' };

let db: TestDatabase;
let dataDir: string;
let api: ChildProcess | undefined;
let base = '';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const startApi = async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      JWT_SECRET: 'crash-test-secret-crash-test-secret-0123',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      SUPER_ADMIN_EMAIL: ROOT.email,
      SUPER_ADMIN_PASSWORD: ROOT.password,
      DB_POOL_SIZE: '5',
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  api = child;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`API exited with ${code} before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('is listening')) resolve();
    });
  });
  base = `http://127.0.0.1:${port}`;
};

/**
 * Resolves once the read side (run by the API process) has applied everything written so far:
 * the deterministic wait for what a fresh process still has to catch up on.
 */
const readSideCaughtUp = async () => {
  const store = new PostgresEventStore(db.pool);
  const waiter = new PositionWaiter(db.knex, db.url, 50);
  try {
    await waiter.start();
    if (!(await waiter.waitFor(await store.headPosition(), 60_000)))
      throw new Error('the read side did not catch up within 60 s');
  } finally {
    await waiter.close();
  }
};

const killApi = async () => {
  const child = api;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGKILL');
  await exited;
};

const call = async (method: string, path: string, token?: string, body?: unknown, key?: string) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { id?: string },
  };
};

const ok = async (what: string, pending: ReturnType<typeof call>) => {
  const res = await pending;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'arcfit-crash-'));
  await startApi();
}, 120_000);

afterAll(async () => {
  await killApi();
  await db?.dispose();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

it('a booking whose API process was killed mid-request, retried with its Idempotency-Key, exists exactly once', async () => {
  // The super_admin is created at start-up, before the API listens; signing in reads the read side.
  await readSideCaughtUp();
  const login = await call('POST', '/api/v1/auth/login', undefined, ROOT);
  expect(login.status).toBe(200);
  const admin = await ok(
    'admin',
    call('POST', '/api/v1/auth/signup', undefined, {
      role: 'society_admin',
      name: 'Crash admin',
      email: `crash-admin-${randomUUID()}@example.com`,
      phone_number: '+919811100001',
      password: 'a long passphrase',
    }),
  );
  const adminToken = admin.token as string;
  const society = await ok(
    'society',
    call('POST', '/api/v1/societies', adminToken, { name: `Crash ${randomUUID()}`, location: 'Noida' }),
  );
  const plan = await ok(
    'plan',
    call('POST', '/api/v1/subscriptions', adminToken, {
      society_id: society.id,
      name: 'Yearly',
      price: '1200.00',
      currency: 'INR',
      duration_in_days: 365,
    }),
  );
  const member = await ok(
    'member',
    call('POST', '/api/v1/auth/signup', undefined, {
      role: 'member',
      name: 'Crash member',
      email: `crash-member-${randomUUID()}@example.com`,
      phone_number: '+919811100002',
      password: 'a long passphrase',
      society_id: society.id,
    }),
  );
  const memberToken = member.token as string;
  const memberId = (member.user as { id: string }).id;
  await ok('approve', call('POST', `/api/v1/members/${memberId}/status`, adminToken, { status: 'approved' }));
  await ok(
    'subscribe',
    call('POST', `/api/v1/members/${memberId}/subscribe`, memberToken, { subscription_id: plan.id }),
  );
  await ok(
    'pay',
    call('POST', '/api/v1/payments', memberToken, {
      member_id: memberId,
      subscription_id: plan.id,
      amount: '1200.00',
      transaction_id: `txn_${randomUUID()}`,
    }),
  );

  const rounds: { delayMs: number; firstAttempt: string; writtenBeforeKill: string[]; bookings: number }[] =
    [];
  for (const [round, delayMs] of KILL_DELAYS_MS.entries()) {
    // One class per round, each in its own week: the weekly limit never interferes.
    const lesson = await ok(
      'class',
      call('POST', '/api/v1/events', adminToken, {
        name: `Round ${round}`,
        society_id: society.id,
        class_type: 'yoga',
        date: `2031-${String(1 + round).padStart(2, '0')}-07`,
        start_time: '07:00',
        end_time: '08:00',
      }),
    );
    const key = randomUUID();
    // The command id no longer shows the raw key: what the request wrote is what came after this.
    const before = (
      await db.pool.query<{ p: string }>('SELECT coalesce(max(global_position), 0) AS p FROM events')
    ).rows[0]!.p;
    const inFlight = call('POST', '/api/v1/bookings', memberToken, { event_id: lesson.id }, key).then(
      (res) => `answered ${res.status}`,
      () => 'connection lost',
    );
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await killApi();
    const firstAttempt = await inFlight;
    // What the killed process had written under this key: nothing, a quota claim, a seat…
    const { rows } = await db.pool.query<{ type: string }>(
      `SELECT type FROM events WHERE global_position > $1 AND metadata->>'commandType' = 'BookClass'
        ORDER BY global_position`,
      [before],
    );
    const writtenBeforeKill = rows.map((r) => r.type);
    await startApi();
    // The new process catches its read models up on what the killed one wrote; then the retry.
    await readSideCaughtUp();
    const retried = await call('POST', '/api/v1/bookings', memberToken, { event_id: lesson.id }, key);
    expect([200, 201, 202]).toContain(retried.status);
    const listed = await call('GET', `/api/v1/bookings/event/${lesson.id}`, adminToken);
    expect(listed.status).toBe(200);
    const live = (listed.body as unknown as { id: string; member_id: string; status: string }[]).filter(
      (b) => b.member_id === memberId && b.status !== 'canceled',
    );
    rounds.push({ delayMs, firstAttempt, writtenBeforeKill, bookings: live.length });
    expect(live).toEqual([expect.objectContaining({ id: retried!.body.id })]);
  }

  recordEvidence('api-crash', {
    rounds,
    duplicateBookings: rounds.filter((r) => r.bookings > 1).length,
    missingBookings: rounds.filter((r) => r.bookings < 1).length,
  });
  // At least one kill must have landed mid-request, or this proved nothing about crashes.
  expect(rounds.some((r) => r.firstAttempt === 'connection lost')).toBe(true);
}, 300_000);
