import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { bookingSociety } from '../api/booking/bookingActors';
import { postgresForClientTools, type ClientToolsPostgres } from '../support/clientToolsPostgres';
import { startTestApp, type TestApp } from '../support/testApp';

/**
 * The backup and restore drill of docs/operations.md, as an operator runs it: `backup` of a
 * small world (a society, members who subscribed and paid, bookings and a waitlist), `restore`
 * into a fresh database (migrations, the log's rows, every read model rebuilt from them), then
 * `verify-replay` on the restored database must find every read model equal to a replay of the
 * log, and the restored read tables must hold what the source's did, names included (they are
 * decrypted with the restored personal-data keys).
 */
const run = promisify(execFile);
const root = join(__dirname, '..', '..');

const cli = async (databaseUrl: string, ...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', DB_POOL_SIZE: '4' },
      maxBuffer: 20 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

const READ_TABLES = [
  'users',
  'members',
  'societies',
  'classes',
  'bookings',
  'member_subscriptions',
  'payments',
];

const snapshot = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of READ_TABLES)
      counts[table] = (
        await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)
      ).rows[0]!.n;
    const people = (await client.query('SELECT id, name, email FROM users ORDER BY id')).rows;
    const bookings = (
      await client.query('SELECT id, member_id, status, waitlist_position FROM bookings ORDER BY id')
    ).rows;
    return { counts, people, bookings };
  } finally {
    await client.end();
  }
};

let server: ClientToolsPostgres;
let t: TestApp;
let folder: string;
let restoredUrl: string;
const testServerUrl = process.env.TEST_ADMIN_DATABASE_URL;

const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

beforeAll(async () => {
  server = await postgresForClientTools();
  // The world is made on the server the client tools can dump (testDatabase.ts reads this).
  process.env.TEST_ADMIN_DATABASE_URL = server.adminUrl;
  t = await startTestApp();
  folder = mkdtempSync(join(tmpdir(), 'arcfit-backup-'));
}, 120_000);

afterAll(async () => {
  await t?.dispose();
  if (restoredUrl)
    await admin(`DROP DATABASE IF EXISTS ${new URL(restoredUrl).pathname.slice(1)} WITH (FORCE)`);
  process.env.TEST_ADMIN_DATABASE_URL = testServerUrl;
  if (server?.pid) {
    try {
      process.kill(server.pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
}, 60_000);

it('restores a backup into a fresh database whose rebuilt read models replay equal and match the source', async () => {
  const society = await bookingSociety(t);
  const members = [await society.member(), await society.member(), await society.member()];
  const lesson = await society.klass({ max_members: 2 });
  for (const member of members) {
    const booked = await request(t.app)
      .post('/api/v1/bookings')
      .set(...member.auth)
      .send({ event_id: lesson });
    expect(booked.status).toBe(201);
  }
  await t.waiter.waitFor(await t.store.headPosition(), 30_000);
  const source = await snapshot(t.db.url);
  expect(source.bookings.map((b) => b.status).sort()).toEqual(['confirmed', 'confirmed', 'waitlist']);
  expect(source.counts.payments).toBe(3);

  const file = join(folder, 'arcfit.dump');
  const backup = await cli(t.db.url, 'backup', '--out', file);
  expect(backup.stderr).toBe('');
  expect(backup.code).toBe(0);
  expect(statSync(file).size).toBeGreaterThan(0);

  const name = `restored_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  restoredUrl = url.toString();

  const restore = await cli(restoredUrl, 'restore', '--from', file);
  expect(restore.stderr).toBe('');
  expect(restore.code).toBe(0);
  const sourceEvents = Number((await t.db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
  expect(restore.stdout).toContain(`restored ${sourceEvents} events`);

  const replay = await cli(restoredUrl, 'verify-replay', '--timeout', '10');
  expect(replay.stdout).not.toMatch(/^(differs|not-verified)/m);
  expect(replay.stdout).toMatch(/^equal\s+bookings_v\d/m);
  expect(replay.code).toBe(0);

  const restored = await snapshot(restoredUrl);
  console.log('read rows, source vs restored', { source: source.counts, restored: restored.counts });
  expect(restored.counts).toEqual(source.counts);
  expect(restored.people).toEqual(source.people);
  expect(restored.bookings).toEqual(source.bookings);

  // The log goes on where it stopped: the next event is numbered after the restored ones.
  const pool = new pg.Pool({ connectionString: restoredUrl, max: 2 });
  const store = new PostgresEventStore(pool);
  try {
    const before = await store.headPosition();
    const { position } = await store.append(
      `drill-${name}`,
      [{ id: randomUUID(), type: 'DrillRecorded', data: {} }],
      { expectedRevision: 'no_stream' },
    );
    expect(position.prepare).toBeGreaterThan(before.prepare);
    expect(position.commit).toBeGreaterThan(before.commit);
  } finally {
    await store.close();
    await pool.end();
  }

  // Restoring onto a database that already holds a log is refused, and writes nothing.
  const again = await cli(restoredUrl, 'restore', '--from', file);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/already holds \d+ event\(s\).*restore into a fresh database/);
  expect((await snapshot(restoredUrl)).counts).toEqual(source.counts);
}, 300_000);
