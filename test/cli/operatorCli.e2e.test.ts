import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { seedSocieties } from '../support/seedSocieties';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** The real entry point in a child process, as an operator runs it, on this test's database. */
const cli = async (db: TestDatabase, ...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent', DB_POOL_SIZE: '4' },
      maxBuffer: 20 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('operator CLI', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const store = new PostgresEventStore(db.pool);
    await seedSocieties(store, 12, 2);
    await store.close();
  });
  afterAll(async () => db.dispose());

  it('verifies the hash chains (exit 0), then, walking again from the start, names the event altered behind the store’s back (exit 1)', async () => {
    const clean = await cli(db, 'verify-chain');
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, eventsChecked: 36, streamsChecked: 12 });

    const client = await db.pool.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await client.query(
        `UPDATE events SET data = jsonb_set(data, '{capacity}', '1') WHERE stream_position = 0 AND stream_id = (SELECT min(stream_id) FROM events)`,
      );
    } finally {
      await client.query('RESET session_replication_role');
      client.release();
    }
    // A continuing walk checks only what was appended since: nothing here.
    expect((await cli(db, 'verify-chain')).code).toBe(0);
    const tampered = await cli(db, 'verify-chain', '--from-start');
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout).brokenLinks).toEqual([
      expect.objectContaining({ revision: 0, reason: 'hash-mismatch' }),
    ]);
  });

  it('rebuilds every projection in place (nothing ran them here) and then finds replay equal to the live tables', async () => {
    const rebuilt = await cli(db, 'rebuild');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^societies_v2: 36 events, at \d+\/\d+$/m);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM societies');
    expect(rows[0].n).toBe(12);
    const replay = await cli(db, 'verify-replay', '--timeout', '5');
    expect(replay.stdout).toMatch(/^equal\s+societies_v2/m);
    expect(replay.code).toBe(0);
  }, 120_000);

  it('exports the stored events as NDJSON, filtered by type', async () => {
    const exported = await cli(db, 'export-events', '--type', 'SocietyRegistered');
    expect(exported.code).toBe(0);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatchObject({
      type: 'SocietyRegistered',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('answers --help for every command and refuses an unknown projection', async () => {
    expect((await cli(db, '--help')).stdout).toMatch(/verify-replay/);
    const unknown = await cli(db, 'rebuild', 'no_such_projection');
    expect(unknown.code).toBe(2);
  });
});
