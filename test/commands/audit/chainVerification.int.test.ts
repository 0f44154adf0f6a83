import {
  continueChainVerification,
  chainVerificationStatus,
} from '../../../src/commands/audit/chainVerification';
import { verifyHashChains } from '../../../src/commands/audit/verifyHashChains';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { hashChainVerificationJobs } from '../../../src/scheduler/jobs/audit/hashChainVerificationJobs';
import { seedSocieties } from '../../support/seedSocieties';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

// Hash-chain verification as a resumable background walk: pages of $all, state in PostgreSQL.
let db: TestDatabase;
let store: PostgresEventStore;
beforeEach(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
  await seedSocieties(store, 10, 2); // 10 streams of 3 events
});
afterEach(async () => {
  await store.close();
  await db.dispose();
});

const tamper = async () => {
  const client = await db.pool.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await client.query(
      `UPDATE events SET data = jsonb_set(data, '{tampered}', 'true')
        WHERE stream_position = 1 AND stream_id = (SELECT min(stream_id) FROM events)`,
    );
  } finally {
    await client.query('RESET session_replication_role');
    client.release();
  }
};

describe('hash-chain verification', () => {
  it('checks the whole log the first time and only what was appended since on the next run', async () => {
    const first = await continueChainVerification(store, db.knex);
    expect(first).toMatchObject({ eventsChecked: 30, streamsChecked: 10, brokenLinks: [] });
    expect(first.finishedAt).not.toBeNull();
    // The digest is the in-memory walk's: a digest written down before still compares.
    expect(first.headDigest).toBe((await verifyHashChains(store)).headDigest);

    await seedSocieties(store, 4, 2);
    const read: number[] = [];
    const second = await continueChainVerification(store, db.knex, { onProgress: (n) => read.push(n) });
    expect(read).toEqual([42]);
    expect(second).toMatchObject({ eventsChecked: 42, streamsChecked: 14, brokenLinks: [] });
    expect(second.headDigest).toBe((await verifyHashChains(store)).headDigest);
  });

  it('resumes a stopped walk where it stopped, skipping and repeating nothing', async () => {
    const stop = new AbortController();
    const partial = await continueChainVerification(store, db.knex, {
      pageSize: 7,
      signal: stop.signal,
      onProgress: (n) => n >= 14 && stop.abort(),
    });
    expect(partial).toMatchObject({ eventsChecked: 14, finishedAt: null });
    const done = await continueChainVerification(store, db.knex, { pageSize: 7 });
    expect(done).toMatchObject({ eventsChecked: 30, streamsChecked: 10, brokenLinks: [] });
    expect(done.headDigest).toBe((await verifyHashChains(store)).headDigest);
  });

  it('finds a rewrite of an event checked before only on a walk from the start', async () => {
    await continueChainVerification(store, db.knex);
    await tamper();
    expect((await continueChainVerification(store, db.knex)).brokenLinks).toEqual([]);
    const full = await continueChainVerification(store, db.knex, { fromStart: true });
    expect(full.brokenLinks).toEqual([expect.objectContaining({ revision: 1, reason: 'hash-mismatch' })]);
    expect(full.eventsChecked).toBe(30);
  });

  it('runs as jobs whose summaries name what they found, and the stored status is what they left', async () => {
    const [continuing, full] = hashChainVerificationJobs(store, db.knex);
    expect(await continuing!.run(new AbortController().signal)).toMatch(
      /^every chain whole: 30 events in 10 streams/,
    );
    await tamper();
    expect(await full!.run(new AbortController().signal)).toMatch(/^1 broken stream\(s\)/);
    expect((await chainVerificationStatus(db.knex)).brokenLinks).toHaveLength(1);
  });
});

describe('hash-chain verification memory', () => {
  it('reads $all a few events at a time however long its saved pages are, and finds what it found before', async () => {
    // Why small reads: a read's events must die young. A 5,000-event read outlived the young
    // generation, so every page was promoted and the old generation grew until V8 got round to it
    // (verify-chain's RSS rose with the log: 167 MB at 12k events, 321 MB at 300k).
    const asked: number[] = [];
    const counting = Object.create(store) as PostgresEventStore;
    counting.readAll = (options) => {
      asked.push(options?.maxCount ?? 1000);
      return store.readAll(options);
    };
    await tamper();
    const saved: number[] = [];
    const status = await continueChainVerification(counting, db.knex, {
      pageSize: 7,
      readSize: 3,
      onProgress: (n) => saved.push(n),
    });
    expect(Math.max(...asked)).toBe(3);
    expect(saved).toEqual([7, 14, 21, 28, 30]);
    expect(status).toMatchObject({ eventsChecked: 30, streamsChecked: 10 });
    expect(status.brokenLinks).toEqual([expect.objectContaining({ revision: 1, reason: 'hash-mismatch' })]);
    expect(status.brokenLinks).toEqual((await verifyHashChains(store)).brokenLinks);
    const whole = await continueChainVerification(store, db.knex, { fromStart: true });
    expect(status.headDigest).toBe(whole.headDigest);
  });
});

describe('hash-chain verification heap bound', () => {
  it('collects the heap between reads once it holds more than the bound, and still finds a rewrite', async () => {
    // Reads of 500 events mostly die young, but not always: two runs over one 300k log peaked at
    // 188 and 290 MB. A heap past the bound is collected between reads.
    await tamper();
    let collections = 0;
    const status = await continueChainVerification(store, db.knex, {
      pageSize: 7,
      readSize: 3,
      heap: { boundBytes: 1, collect: () => (collections += 1) },
    });
    expect(collections).toBeGreaterThanOrEqual(1);
    expect(status.brokenLinks).toEqual([expect.objectContaining({ revision: 1, reason: 'hash-mismatch' })]);
  });

  it('never forces a collection inside a service process: the scheduled job shares its event loop with requests', async () => {
    // A forced full collection holds the event loop for ~50 ms. The CLI's walk may pay that; the
    // jobs run in the API (or worker) process, where every request would wait on it.
    const global = globalThis as { gc?: () => void };
    const before = global.gc;
    let collections = 0;
    global.gc = () => (collections += 1);
    try {
      const [hourly] = hashChainVerificationJobs(store, db.knex);
      // Enough heap in use that any bound a job might carry is passed.
      const ballast = Array.from({ length: 300_000 }, (_, i) => ({ i, text: `ballast ${i}` }));
      expect(await hourly!.run(new AbortController().signal)).toMatch(/every chain whole/);
      expect(ballast.length).toBe(300_000);
      expect(collections).toBe(0);
    } finally {
      global.gc = before;
    }
  });
});
