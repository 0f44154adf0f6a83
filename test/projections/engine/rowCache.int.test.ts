import { RowCache } from '../../../src/projections/engine/rowCache';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.knex.raw(`CREATE TABLE seats (
    class_id uuid NOT NULL, member_id uuid NOT NULL, status text NOT NULL,
    booked_at timestamptz NOT NULL, tags text[], detail jsonb, price numeric(12,2),
    PRIMARY KEY (class_id, member_id))`);
  await db.knex.raw(`CREATE TABLE people (id uuid PRIMARY KEY, name text NOT NULL, age integer)`);
});
afterAll(() => db.dispose());
beforeEach(() => db.knex.raw('TRUNCATE seats, people'));

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

describe('RowCache (set-based projection writes)', () => {
  it('writes inserts, updates and deletes of a batch and leaves untouched rows alone', async () => {
    await db.knex('people').insert([
      { id: A, name: 'Asha', age: 30 },
      { id: B, name: 'Bela', age: 40 },
      { id: C, name: 'Chandra', age: 50 },
    ]);
    await db.knex.transaction(async (trx) => {
      const people = new RowCache<{ id: string; name: string; age: number | null }>(trx, 'people', ['id']);
      const D = '00000000-0000-4000-8000-00000000000d';
      await people.load([A, B, D]);
      expect(people.get(A)).toMatchObject({ name: 'Asha' });
      expect(people.get(D)).toBeUndefined();
      expect(people.update(A, { age: 31 })).toBe(true);
      expect(people.update(D, { age: 1 })).toBe(false);
      people.delete(B);
      expect(people.insertIfAbsent({ id: D, name: 'Dev', age: null })).toBe(true);
      expect(people.insertIfAbsent({ id: D, name: 'Someone else', age: 9 })).toBe(false);
      await people.flush();
    });
    const rows = await db.knex('people').orderBy('id').select();
    expect(rows).toEqual([
      { id: A, name: 'Asha', age: 31 },
      { id: C, name: 'Chandra', age: 50 },
      { id: '00000000-0000-4000-8000-00000000000d', name: 'Dev', age: null },
    ]);
  });

  it('round-trips timestamps, arrays, jsonb and numeric through composite keys', async () => {
    const bookedAt = new Date('2026-11-25T06:30:00.123Z');
    await db.knex.transaction(async (trx) => {
      const seats = new RowCache<Record<string, unknown>>(trx, 'seats', ['class_id', 'member_id']);
      await seats.load([[A, B]]);
      seats.put({
        class_id: A,
        member_id: B,
        status: 'confirmed',
        booked_at: bookedAt,
        tags: ['front', 'mat'],
        detail: { by: 'admin', note: 'it\'s "quoted"' },
        price: '12.50',
      });
      await seats.flush();
    });
    await db.knex.transaction(async (trx) => {
      const seats = new RowCache<Record<string, unknown>>(trx, 'seats', ['class_id', 'member_id']);
      await seats.load([
        [A, B],
        [A, C],
      ]);
      expect(seats.get([A, C])).toBeUndefined();
      seats.update([A, B], { status: 'waitlist' });
      await seats.flush();
    });
    expect(await db.knex('seats').select()).toEqual([
      {
        class_id: A,
        member_id: B,
        status: 'waitlist',
        booked_at: bookedAt,
        tags: ['front', 'mat'],
        detail: { by: 'admin', note: 'it\'s "quoted"' },
        price: '12.50',
      },
    ]);
  });

  it('loads by a secondary column so a query over it sees rows from the table and from the batch', async () => {
    await db.knex('seats').insert([
      { class_id: A, member_id: B, status: 'confirmed', booked_at: new Date() },
      { class_id: B, member_id: C, status: 'confirmed', booked_at: new Date() },
    ]);
    await db.knex.transaction(async (trx) => {
      const seats = new RowCache<Record<string, unknown>>(trx, 'seats', ['class_id', 'member_id']);
      await seats.loadWhere('class_id', [A]);
      seats.put({ class_id: A, member_id: C, status: 'waitlist', booked_at: new Date() });
      expect(
        seats
          .where((r) => r.class_id === A)
          .map((r) => r.member_id)
          .sort(),
      ).toEqual([B, C]);
    });
  });

  it('refuses to read a key the batch never loaded', async () => {
    await db.knex.transaction(async (trx) => {
      const people = new RowCache<{ id: string; name: string }>(trx, 'people', ['id']);
      expect(() => people.get(A)).toThrow(/before it was loaded/);
    });
  });
});

describe('RowCache and DATE columns', () => {
  it('loads a DATE as its calendar day and writes it back unchanged, whatever the process time zone', async () => {
    await db.knex.raw(`CREATE TABLE IF NOT EXISTS days (id uuid PRIMARY KEY, day date NOT NULL, note text)`);
    await db.knex('days').insert({ id: A, day: '2030-02-24', note: 'before' });
    await db.knex.transaction(async (trx) => {
      const days = new RowCache<{ id: string; day: string; note: string }>(trx, 'days', ['id']);
      await days.load([A]);
      expect(days.get(A)!.day).toBe('2030-02-24');
      days.update(A, { note: 'after' });
      await days.flush();
    });
    const { rows } = await db.knex.raw(`SELECT day::text AS day, note FROM days WHERE id = ?`, [A]);
    expect(rows).toEqual([{ day: '2030-02-24', note: 'after' }]);
  });
});

describe('RowCache writes without loading', () => {
  it('creates unless present and patches under a guard, all of a batch in one statement', async () => {
    const E = '00000000-0000-4000-8000-00000000000e';
    await db.knex('people').insert([
      { id: A, name: 'Asha', age: 30 },
      { id: B, name: 'Bela', age: 40 },
      { id: C, name: 'Chandra', age: 50 },
    ]);
    const sent: string[] = [];
    const record = (query: { sql: string }) => sent.push(query.sql);
    db.knex.on('query', record);
    await db.knex.transaction(async (trx) => {
      const people = new RowCache<{ id: string; name: string; age: number | null }>(trx, 'people', ['id']);
      // A exists: the create leaves it as it is (a replayed creation).
      people.createUnlessPresent({ id: A, name: 'Someone else', age: 1 });
      people.createUnlessPresent({ id: E, name: 'Esha', age: null });
      // `age` as the guard's revision: B (40) is below 45 and changes, C (50) is not and stays.
      people.patch(B, { name: 'Bela K' }, { column: 'age', below: 45 });
      people.patch(C, { name: 'Chandra K', age: 99 }, { column: 'age', below: 45 });
      expect(() => people.get(E)).toThrow(/written unloaded/);
      await people.flush();
    });
    db.knex.off('query', record);
    expect(sent.filter((sql) => !/^(BEGIN|COMMIT)/i.test(sql))).toHaveLength(1);
    expect(await db.knex('people').orderBy('id').select()).toEqual([
      { id: A, name: 'Asha', age: 30 },
      { id: B, name: 'Bela K', age: 40 },
      { id: C, name: 'Chandra', age: 50 },
      { id: E, name: 'Esha', age: null },
    ]);
  });

  it('refuses a key both loaded and written unloaded', async () => {
    await db.knex.transaction(async (trx) => {
      const people = new RowCache<{ id: string; name: string; age: number | null }>(trx, 'people', ['id']);
      await people.load([A]);
      expect(() => people.createUnlessPresent({ id: A, name: 'x', age: null })).toThrow(/also loaded/);
      people.patch(B, { name: 'y' }, { column: 'age', below: 1 });
      await expect(people.load([B])).rejects.toThrow(/loaded after/);
    });
  });
});
