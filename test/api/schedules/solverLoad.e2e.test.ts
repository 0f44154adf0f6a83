import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { generateInstance } from '../../../bench/schedule/instance';
import { weekdayOf } from '../../../src/commands/trainers/availability';
import { solveInFlight } from '../../../src/api/schedules/solveAdmission';
import { closeSolverPool } from '../../../src/commands/schedules/solverPool';
import { streams } from '../../../src/events/streams';
import { signUp, superAdmin, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

/**
 * The weekly solver under load: the 400-template week (40 societies, 60 trainers, as the
 * schedule benchmark) planned while the API keeps answering, and the limits that keep one caller
 * from occupying the solver.
 */
const WEEK = '2030-W20';

let t: TestApp;
let server: Server;
let root: Actor;

const instance = generateInstance({ societies: 40, trainers: 60, slots: 400, seed: 1 }, WEEK);

/** Societies and their templates go straight to the store: 440 commands would only slow the setup. */
const seedSocietiesAndTemplates = async (slots: typeof instance.slots, withSocieties: boolean) => {
  const societies = [...new Set(slots.map((s) => s.societyId))];
  for (const societyId of societies) {
    const slot = slots.find((s) => s.societyId === societyId)!;
    if (withSocieties)
      await t.store.append(
        streams.society(societyId),
        [
          {
            id: randomUUID(),
            type: 'SocietyRegistered',
            data: {
              societyId,
              registeredBy: null,
              name: `Society ${societyId}`,
              location: 'Noida',
              maxMembersPerEvent: slot.societyMaxMembersPerEvent,
              capacity: 500,
              timezone: 'Asia/Kolkata',
              latitude: slot.societyLocation!.lat,
              longitude: slot.societyLocation!.lng,
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    await t.store.append(
      streams.scheduleTemplates(societyId),
      slots
        .filter((s) => s.societyId === societyId)
        .map((s) => ({
          id: randomUUID(),
          type: 'ScheduleTemplateAdded',
          data: {
            societyId,
            templateId: randomUUID(),
            addedBy: null,
            name: s.name,
            weekday: weekdayOf(s.date),
            start: s.start,
            end: s.end,
            classType: s.classType,
            maxMembers: s.maxMembers,
            preferredTrainerId: null,
          },
        })),
      { expectedRevision: 'any' },
    );
  }
  await t.waiter.waitFor(await t.store.headPosition(), 30_000);
};

beforeAll(async () => {
  t = await startTestApp();
  server = t.app.listen(0);
  root = await superAdmin(t);
  for (let k = 0; k < instance.trainers.length; k += 10)
    await Promise.all(
      instance.trainers.slice(k, k + 10).map((trainer) =>
        signUp(t, 'trainer', {
          specialization: trainer.specialization,
          location: { latitude: trainer.home!.lat, longitude: trainer.home!.lng },
        }),
      ),
    );
  await seedSocietiesAndTemplates(instance.slots, true);
}, 120_000);
afterAll(async () => {
  await closeSolverPool();
  await new Promise((resolve) => server.close(resolve));
  await t.dispose();
});

const plan = (path: 'preview' | 'generate', body: Record<string, unknown>, as: Actor = root) =>
  request(server)
    .post(`/api/v1/schedules/${path}`)
    .set(...as.auth)
    .send({ week: WEEK, ...body });

const p99 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * 0.99) - 1]!;

// A solve on the event loop puts its whole length (seconds: 7.9 s p99 when it ran there) into one
// probe. The bound sits well below that and well above a busy shared machine's scheduling noise,
// so it fails on a blocked loop, not on a slow neighbour (a focused run saw 107 ms under load when the bound was 100 ms).
it('keeps /health answering within 500 ms (p99) while the 400-template week is solved', async () => {
  let solved = false;
  const preview = plan('preview', { time_limit_seconds: 30 }).then((res) => {
    solved = true;
    return res;
  });
  // Sequential probes for as long as the solve runs (and at least 50), timed one by one.
  const latencies: number[] = [];
  while (!solved || latencies.length < 50) {
    const started = performance.now();
    const res = await request(server).get('/health');
    latencies.push(performance.now() - started);
    expect(res.status).toBe(200);
  }
  const res = await preview;
  expect(res.status).toBe(200);
  expect(res.body.assignments.length + res.body.unstaffed.length).toBe(400);
  expect(res.body.solver.method).toBe('mip');
  expect(latencies.length).toBeGreaterThanOrEqual(50);
  expect(p99(latencies)).toBeLessThan(500);
}, 120_000);

const expectProblem = (res: request.Response, status: number, type: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`/${type}$`)) });
};

/** Polls (each turn of the event loop, no timer) until `condition` holds. */
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

it('refuses a time limit above 30 s, naming the cap, and writes nothing', async () => {
  const before = await t.eventCount();
  const res = await plan('generate', { time_limit_seconds: 31 });
  expectProblem(res, 400, 'validation-error');
  expect(res.body.detail).toContain('time_limit_seconds: at most 30 seconds');
  expect(await t.eventCount()).toBe(before);
});

it('answers a second plan from the same caller with 429 solve-in-progress while the first runs', async () => {
  let firstDone = false;
  const first = plan('preview', { time_limit_seconds: 5 }).then((res) => {
    firstDone = true;
    return res;
  });
  await until(() => solveInFlight(root.userId) || firstDone);
  expect(firstDone).toBe(false);

  const before = await t.eventCount();
  const second = await plan('generate', { time_limit_seconds: 5 });
  expectProblem(second, 429, 'solve-in-progress');
  const retryAfter = Number(second.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(30);
  expect(second.body.detail).toMatch(/one preview or generate at a time/i);
  expect(await t.eventCount()).toBe(before);

  expect((await first).status).toBe(200);
  // Once the first has answered, the caller plans again.
  expect(solveInFlight(root.userId)).toBe(false);
}, 120_000);

it('refuses a week past 10 000 candidate (class, trainer) pairs with 422 solve-too-large, writing nothing', async () => {
  // The same 400 templates again: twice the classes, each with the same candidate trainers.
  await seedSocietiesAndTemplates(instance.slots, false);
  const before = await t.eventCount();
  const res = await plan('generate', { time_limit_seconds: 30 });
  expectProblem(res, 422, 'solve-too-large');
  expect(res.body.max_candidate_pairs).toBe(10_000);
  expect(res.body.candidate_pairs).toBeGreaterThan(10_000);
  expect(res.body.detail).toContain('at most 10000');
  expect(await t.eventCount()).toBe(before);
}, 120_000);
