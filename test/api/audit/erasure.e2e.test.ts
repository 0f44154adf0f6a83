import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signUp, superAdmin, uniquePhone, type Actor } from '../../support/actors';
import { giveActiveSubscription } from '../../support/subscriptions';
import { startTestApp, type TestApp } from '../../support/testApp';
import { bookingSociety } from '../booking/bookingActors';
import { verifyHashChains } from '../../../src/commands/audit/verifyHashChains';
import { storedForm } from '../../../src/events/store/personalData/protectedEventStore';
import { verifyReplay } from '../../../src/projections/engine/replayVerification';
import { allProjections } from '../../../src/projections';
import { readSideCaughtUp } from './auditScenario';

const api = '/api/v1';
let t: TestApp;
let root: Actor;
let person: Actor;
const suffix = randomUUID().slice(0, 8);
const details = {
  name: `Zoya Erasable ${suffix}`,
  email: `zoya.${suffix}@private.example`,
  phone_number: uniquePhone(),
};

/** Every row of every table, in every schema, whose text contains `needle`. */
const rowsContaining = async (needle: string): Promise<string[]> => {
  const { rows: tables } = await t.db.pool.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const found: string[] = [];
  for (const { table_schema: schema, table_name: table } of tables) {
    const { rows } = await t.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}"."${table}" r WHERE strpos(lower(to_jsonb(r)::text), lower($1)) > 0`,
      [needle],
    );
    if (Number(rows[0]!.n) > 0) found.push(`${schema}.${table} (${rows[0]!.n})`);
  }
  return found;
};

beforeAll(async () => {
  t = await startTestApp();
  root = await superAdmin(t);
  const society = await bookingSociety(t);
  person = await signUp(t, 'member', { society_id: society.societyId, ...details });
  const approved = await request(t.app)
    .post(`${api}/members/${person.userId}/status`)
    .set(...society.admin.auth)
    .send({ status: 'approved' });
  expect(approved.status).toBe(200);
  await giveActiveSubscription(t, {
    adminToken: society.admin.token,
    memberId: person.userId,
    societyId: society.societyId,
  });
  const classId = await society.klass({ date: '2030-03-06', start_time: '07:00', end_time: '08:00' });
  expect(
    (
      await request(t.app)
        .post(`${api}/bookings`)
        .set(...person.auth)
        .send({ event_id: classId })
    ).status,
  ).toBe(201);
  await readSideCaughtUp(t);
}, 120_000);
afterAll(async () => t.dispose());

it('keeps personal data out of the events from the start: only ciphertext is stored', async () => {
  for (const value of Object.values(details)) {
    const inEvents = await t.db.pool.query(
      `SELECT count(*) AS n FROM events WHERE strpos(lower(data::text), lower($1)) > 0`,
      [value],
    );
    expect(Number(inEvents.rows[0].n)).toBe(0);
  }
  // …while the read tables and the API show the person as they are.
  expect(await rowsContaining(details.email)).not.toEqual([]);
  const member = await request(t.app)
    .get(`${api}/members/${person.userId}`)
    .set(...root.auth);
  expect(member.body).toMatchObject({
    name: details.name,
    email: details.email,
    phone_number: details.phone_number,
  });
});

it('after erasure, no table of the database holds the person’s name, email or phone number', async () => {
  const erased = await request(t.app)
    .post(`${api}/users/${person.userId}/erasure`)
    .set(...root.auth);
  expect(erased.status).toBe(200);
  expect(erased.body).toMatchObject({
    subject_id: person.userId,
    key_deleted: true,
    read_side_caught_up: true,
  });

  for (const value of Object.values(details))
    expect({ value, rows: await rowsContaining(value) }).toEqual({ value, rows: [] });
  const keys = await t.db.pool.query(`SELECT count(*) AS n FROM personal_data_keys WHERE subject_id = $1`, [
    person.userId,
  ]);
  expect(Number(keys.rows[0].n)).toBe(0);
});

it('shows the person as erased, keeps their history replayable and every hash chain whole', async () => {
  const member = await request(t.app)
    .get(`${api}/members/${person.userId}`)
    .set(...root.auth);
  expect(member.body).toMatchObject({ name: 'Erased person', status: 'approved' });
  expect(member.body.email).toBe(`erased-${person.userId}@erased.invalid`);

  const history = await request(t.app)
    .get(`${api}/members/${person.userId}/history`)
    .set(...root.auth);
  const types = history.body.facts.map((f: { type: string }) => f.type);
  expect(types).toEqual(expect.arrayContaining(['UserRegistered', 'MemberOnboarded', 'MemberApproved']));
  expect(history.body.facts[0].data).toMatchObject({ name: 'Erased person' });

  expect((await verifyHashChains(storedForm(t.store))).ok).toBe(true);
  const replay = await verifyReplay(t.db.knex, t.store, allProjections);
  expect(replay.projections.filter((p) => p.outcome !== 'equal')).toEqual([]);
});

it('answers 404 for nobody, and only super admins may erase', async () => {
  const nobody = await request(t.app)
    .post(`${api}/users/${randomUUID()}/erasure`)
    .set(...root.auth);
  expect([nobody.status, nobody.body.type]).toEqual([404, expect.stringMatching(/person-not-found$/)]);
  const other = await signUp(t, 'society_admin');
  expect(
    (
      await request(t.app)
        .post(`${api}/users/${other.userId}/erasure`)
        .set(...other.auth)
    ).status,
  ).toBe(403);
});

it('erases any kind of account, a super admin’s included, without touching anyone else', async () => {
  const other = await superAdmin(t);
  const erased = await request(t.app)
    .post(`${api}/users/${other.userId}/erasure`)
    .set(...root.auth);
  expect(erased.status).toBe(200);
  expect(await rowsContaining(other.email)).toEqual([]);
  const me = await request(t.app)
    .get(`${api}/auth/me`)
    .set(...root.auth);
  expect(me.body).toMatchObject({ role: 'super_admin', name: 'Root' });
});

it('leaves other people’s data alone when a name is also an ordinary word', async () => {
  const society = await bookingSociety(t);
  const classId = await society.klass({ class_type: 'yoga', date: '2030-03-07' });
  const yoga = await signUp(t, 'member', { society_id: society.societyId, name: 'yoga' });
  const erased = await request(t.app)
    .post(`${api}/users/${yoga.userId}/erasure`)
    .set(...root.auth);
  expect(erased.status).toBe(200);
  const cls = await request(t.app)
    .get(`${api}/events/${classId}`)
    .set(...society.admin.auth);
  expect(cls.body).toMatchObject({ class_type: 'yoga' });
  const member = await request(t.app)
    .get(`${api}/members/${yoga.userId}`)
    .set(...root.auth);
  expect(member.body.name).toBe('Erased person');
});
