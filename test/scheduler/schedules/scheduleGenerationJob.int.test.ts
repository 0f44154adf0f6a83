import { randomUUID } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { generatedClassId } from '../../../src/commands/schedules/weekGeneration';
import { streams } from '../../../src/events/streams';
import { scheduleGenerationJob } from '../../../src/scheduler/jobs/schedules/scheduleGenerationJob';
import { signUp, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

let t: TestApp;
let admin: Actor;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t, 'society_admin');
});
afterAll(async () => t.dispose());

const society = async (timezone: string) => {
  const res = await request(t.app)
    .post('/api/v1/societies')
    .set(...admin.auth)
    .send({
      name: `Society ${randomUUID()}`,
      location: 'Somewhere',
      latitude: 28.6,
      longitude: 77.3,
      timezone,
    });
  if (res.status !== 201) throw new Error(`society failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
};

const template = async (societyId: string, classType: string, weekday: string) => {
  const res = await request(t.app)
    .post(`/api/v1/societies/${societyId}/schedule-templates`)
    .set(...admin.auth)
    .send({ name: 'Sunrise', weekday, start_time: '06:30', duration_minutes: 60, class_type: classType });
  if (res.status !== 201) throw new Error(`template failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
};

const classExists = async (classId: string) => (await t.store.readStream(streams.class(classId))).length > 0;

describe('schedule_generation job', () => {
  it('generates the coming week when it is Sunday in the society’s own zone, once', async () => {
    const type = `yoga-${randomUUID()}`;
    await signUp(t, 'trainer', { specialization: [type], location: { latitude: 28.6, longitude: 77.3 } });
    const kolkata = await society('Asia/Kolkata');
    const newYork = await society('America/New_York');
    const inKolkata = generatedClassId(kolkata, await template(kolkata, type, 'tue'), '2030-W22');
    const inNewYork = generatedClassId(newYork, await template(newYork, type, 'wed'), '2030-W22');
    const jobAt = (iso: string) =>
      scheduleGenerationJob({
        knex: t.db.knex,
        commands: t.commands,
        logger: pino({ level: 'silent' }),
        clock: () => new Date(iso),
      });

    // Sunday 26 May 2030, 00:05 in Kolkata; still Saturday afternoon in New York.
    const kolkataMidnight = jobAt('2030-05-25T18:35:00Z');
    expect(await kolkataMidnight.run(new AbortController().signal)).toMatch(
      /^2030-W22: 1 societies, 1 classes created/,
    );
    expect(await classExists(inKolkata)).toBe(true);
    expect(await classExists(inNewYork)).toBe(false);

    const before = await t.eventCount();
    expect(await kolkataMidnight.run(new AbortController().signal)).toBe('no society is due');
    expect(await t.eventCount()).toBe(before);

    // Sunday 00:05 in New York: Kolkata's week is done already, New York's is due.
    expect(await jobAt('2030-05-26T04:05:00Z').run(new AbortController().signal)).toMatch(
      /^2030-W22: 1 societies, 1 classes created/,
    );
    expect(await classExists(inNewYork)).toBe(true);
  });
});
