import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import request from 'supertest';
import { MAGIC } from '../../src/cli/backupFile';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { bookingSociety } from '../api/booking/bookingActors';
import { startTestApp, type TestApp } from '../support/testApp';

/**
 * The backup and restore drill of docs/operations.md, as an operator runs it, on the suite's
 * embedded PostgreSQL (no client tools needed: the CLI streams the tables with COPY): `backup` of a
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

let t: TestApp;
let folder: string;
const created: string[] = [];
/**
 * The suite's embedded PostgreSQL (globalSetup): source and restored databases share it, as a
 * restore into a second database of the running cluster does (no client tools are needed).
 */
const adminUrl = (): string => process.env.TEST_ADMIN_DATABASE_URL!;

const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** An empty database, as `createdb` makes it; `restore` migrates it. */
const freshDatabase = async (): Promise<{ name: string; url: string }> => {
  const name = `restored_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  created.push(name);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
};

const eventCount = async (url: string): Promise<number> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
  } finally {
    await client.end();
  }
};

beforeAll(async () => {
  t = await startTestApp();
  folder = mkdtempSync(join(tmpdir(), 'arcfit-backup-'));
}, 120_000);

afterAll(async () => {
  await t?.dispose();
  for (const name of created) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
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

  const { name, url: restoredUrl } = await freshDatabase();

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

/** A backup's header rewritten, as a file would hold it (backupFile.ts describes the layout). */
const withHeader = (file: string, change: (header: Record<string, unknown>) => void): Buffer => {
  const bytes = gunzipSync(readFileSync(file));
  const headerLength = bytes.readUInt32BE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  const header = JSON.parse(bytes.subarray(headerStart, headerStart + headerLength).toString('utf8'));
  change(header);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return gzipSync(Buffer.concat([MAGIC, length, json, bytes.subarray(headerStart + headerLength)]));
};

it('refuses a cut-off backup and a log from a cluster whose transaction counter is ahead, restoring nothing', async () => {
  const society = await bookingSociety(t);
  await society.member();
  const file = join(folder, 'whole.dump');
  expect((await cli(t.db.url, 'backup', '--out', file)).code).toBe(0);

  // A copy cut short (a transfer that stopped): gzip's end is missing.
  const cut = join(folder, 'cut.dump');
  const whole = readFileSync(file);
  writeFileSync(cut, whole.subarray(0, whole.length - 16));
  const fromCut = await freshDatabase();
  const cutRestore = await cli(fromCut.url, 'restore', '--from', cut);
  expect(cutRestore.code).toBe(1);
  expect(cutRestore.stderr).toMatch(/damaged or incomplete.*nothing was restored/);
  expect(await eventCount(fromCut.url)).toBe(0);

  // A log whose transaction ids are past this cluster's counter (2^40: epoch 256) would be invisible.
  const ahead = join(folder, 'ahead.dump');
  writeFileSync(
    ahead,
    withHeader(file, (header) => (header.highestTransactionId = String(2n ** 40n))),
  );
  const fromAhead = await freshDatabase();
  const aheadRestore = await cli(fromAhead.url, 'restore', '--from', ahead);
  expect(aheadRestore.code).toBe(1);
  expect(aheadRestore.stderr).toMatch(/transaction ids reach 1099511627776 .*pg_resetwal --epoch=257/);
  expect(await eventCount(fromAhead.url)).toBe(0);
}, 300_000);
