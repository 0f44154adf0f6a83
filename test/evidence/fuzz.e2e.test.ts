import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { adminWithSociety, signUp, superAdmin, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';
import { recordEvidence } from './support/evidenceResults';
import { forgedTokens } from './support/forgedTokens';
import {
  createArbitraries,
  operationsOf,
  type ApiOperation,
  type FuzzRequest,
  type OpenApiDocument,
} from './support/openapiArbitraries';

/**
 * Malformed and hostile requests for every route of the live OpenAPI document. For each one:
 * never a 5xx; every 4xx an RFC 9457 problem document; and a refused request writes no event
 * (the store's head before and after is compared — this file's database has no other writer).
 *
 * FUZZ_REQUESTS sets the total (spread evenly over the routes): 1,500 by default so `npm test`
 * stays quick; `npm run evidence` runs 12,000 with FUZZ_SEED=random. FUZZ_SEED=<n> replays a run.
 */
const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 1_500);
// A fixed seed by default keeps `npm test` repeatable; `npm run evidence` passes a fresh one.
const SEED =
  process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 20_261_125);

let t: TestApp;
let server: Server;
let operations: ApiOperation[] = [];
let arbitraries: ReturnType<typeof createArbitraries>;
const tokens: Record<string, string> = {};
let actors: Record<string, Actor> = {};
/** A super_admin the fuzzer never signs in as: it reactivates actors the fuzzer deactivated. */
let keeper: Actor;
const tally = {
  requests: 0,
  fiveHundreds: 0,
  knownFiveHundreds: 0,
  refused: 0,
  accepted: 0,
  refusedThatWrote: 0,
  refusedByHttpParser: 0,
  refusedWithCompensatedReservation: 0,
  unconfiguredDependency: 0,
  actorsLost: 0,
};
const statuses: Record<string, number> = {};
/** Per route and status, so the summary shows how deep the requests reached. */
const byRoute: Record<string, Record<string, number>> = {};

const head = async (): Promise<string> =>
  String(
    (await t.db.pool.query('SELECT coalesce(max(global_position), 0) AS head FROM events')).rows[0].head,
  );

beforeAll(async () => {
  // A 5xx's stack is logged at error level: the report of a failure names the line that threw.
  process.env.TEST_LOG_LEVEL ??= 'error';
  t = await startTestApp();
  server = createServer(t.app).listen(0, '127.0.0.1');
  const x = await adminWithSociety(t);
  const y = await adminWithSociety(t);
  actors = {
    adminX: x.admin,
    adminY: y.admin,
    memberA: await signUp(t, 'member', { society_id: x.societyId }),
    memberB: await signUp(t, 'member', { society_id: y.societyId }),
    trainer: await signUp(t, 'trainer'),
    superAdmin: await superAdmin(t),
  };
  keeper = await superAdmin(t);
  for (const [name, actor] of Object.entries(actors)) tokens[name] = actor.token;
  const forged = forgedTokens(actors.memberA!);
  for (const [name, token] of Object.entries(forged)) tokens[`forged:${name}`] = token;
  const lesson = await request(server)
    .post('/api/v1/events')
    .set(...x.admin.auth)
    .send({
      name: 'Fuzzed class',
      society_id: x.societyId,
      class_type: 'yoga',
      date: '2030-03-05',
      start_time: '10:00',
      end_time: '11:00',
      trainer_id: actors.trainer!.userId,
    });
  if (lesson.status !== 201) throw new Error(`class: ${lesson.status} ${JSON.stringify(lesson.body)}`);
  const doc = (await request(server).get('/api/v1/openapi.json')).body as OpenApiDocument;
  operations = operationsOf(doc);
  arbitraries = createArbitraries(
    doc,
    {
      uuids: [x.societyId, y.societyId, lesson.body.id, ...Object.values(actors).map((a) => a.userId)],
    },
    Object.keys(actors),
    Object.keys(forged),
  );
}, 120_000);

afterAll(async () => {
  recordEvidence('fuzz', {
    ...tally,
    seed: SEED,
    routes: operations.length,
    statuses,
    knownDefectsSeen,
    byRoute,
  });
  await new Promise((resolve) => server.close(resolve));
  await t.dispose();
});

const reactivateActors = async () => {
  for (const actor of Object.values(actors)) {
    const res = await request(server)
      .post(`/api/v1/users/${actor.userId}/status`)
      .set(...keeper.auth)
      .send({ status: 'active' });
    // An erased actor (POST /users/{id}/erasure is fuzzed too) stays gone; its requests then get 401.
    if (res.status !== 200) tally.actorsLost++;
  }
};

const send = (r: FuzzRequest) => {
  let req = request(server)[r.method as 'get' | 'post' | 'patch' | 'put' | 'delete'](r.url);
  if (r.auth.kind === 'actor') req = req.set('Authorization', `Bearer ${tokens[r.auth.name]}`);
  if (r.auth.kind === 'forged') req = req.set('Authorization', `Bearer ${tokens[`forged:${r.auth.name}`]}`);
  if (r.auth.kind === 'raw') req = req.set('Authorization', r.auth.header);
  for (const [name, value] of Object.entries(r.headers)) req = req.set(name, value);
  if (r.body) req = req.set('Content-Type', r.body.contentType).send(r.body.text);
  return req;
};

/**
 * 503s that say "this process was started without that part" — the test app runs no scheduler
 * and has no payment webhook secret. Documented answers of an unconfigured service, not faults.
 */
const UNCONFIGURED_HERE = ['scheduler-unavailable', 'webhook-not-configured'];

/**
 * Defects this fuzzer found in routes it does not own, reported to their owners. They still count
 * in `refusedThatWrote` (the evidence summary shows them); they do not fail this file, so the
 * fuzzer keeps guarding every other route meanwhile. Delete an entry once its route is fixed.
 */
const KNOWN_PARTIAL_WRITES: Record<string, { problemTypes: string[]; why: string }> = {};
/** Same rule for 500s: counted in `fiveHundreds` and shown in the summary, not failing this file. */
const KNOWN_500S: Record<string, string> = {};
const knownDefectsSeen: Record<string, number> = {};

/**
 * Rules that span streams reserve, then act, then compensate (docs/architecture.md): a signup refused for a
 * taken phone number has already claimed its email, and releases it. That claim-and-release pair
 * leaves nothing held, so it is counted apart, not as a write; anything else a refusal wrote is.
 */
const compensatedReservationsOnly = (rows: { stream_id: string; type: string }[]): boolean => {
  const held = new Map<string, number>();
  for (const { stream_id, type } of rows) {
    const delta = type.endsWith('Claimed') ? 1 : type.endsWith('Released') ? -1 : undefined;
    if (delta === undefined) return false;
    held.set(stream_id, (held.get(stream_id) ?? 0) + delta);
  }
  return [...held.values()].every((n) => n === 0);
};

/** One request and every check on it; a failure shrinks to the smallest request that fails. */
const check = async (op: ApiOperation, r: FuzzRequest): Promise<void> => {
  const before = await head();
  const res = await send(r);
  tally.requests++;
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  const route = (byRoute[op.name] ??= {});
  route[res.status] = (route[res.status] ?? 0) + 1;
  if (res.status === 503 && UNCONFIGURED_HERE.some((type) => String(res.body?.type).endsWith(type))) {
    tally.unconfiguredDependency++;
    return;
  }
  if (res.status >= 500) {
    tally.fiveHundreds++;
    if (res.status === 500 && KNOWN_500S[op.name]) {
      tally.knownFiveHundreds++;
      knownDefectsSeen[op.name] = (knownDefectsSeen[op.name] ?? 0) + 1;
      return;
    }
    throw new Error(`5xx: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  if (res.status < 400) {
    tally.accepted++;
    // The fuzzer may deactivate its own callers (a super_admin may); later requests need them.
    if (op.path.startsWith('/api/v1/users/')) await reactivateActors();
    return;
  }
  tally.refused++;
  if (!res.headers['x-request-id'] && (res.status === 431 || res.status === 400)) {
    // Node's HTTP parser refuses headers over 16 kB (431) or malformed before express runs;
    // nothing of ours saw the request, so there is nothing to write and no problem document.
    tally.refusedByHttpParser++;
    return;
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: res.status }),
  );
  const after = await head();
  if (after === before) return;
  const { rows } = await t.db.pool.query<{ stream_id: string; type: string }>(
    'SELECT stream_id, type FROM events WHERE global_position > $1 ORDER BY global_position',
    [before],
  );
  if (compensatedReservationsOnly(rows)) {
    tally.refusedWithCompensatedReservation++;
    return;
  }
  tally.refusedThatWrote++;
  const known = KNOWN_PARTIAL_WRITES[op.name];
  if (known?.problemTypes.some((type) => String(res.body.type).endsWith(type))) {
    knownDefectsSeen[op.name] = (knownDefectsSeen[op.name] ?? 0) + 1;
    return;
  }
  throw new Error(`refused with ${res.status} (${res.body.type}) but wrote ${JSON.stringify(rows)}`);
};

const clip = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}… (${text.length} chars)` : text);

/** fast-check's own report prints the whole counterexample; some are 100 kB strings. */
const describeFailure = (op: ApiOperation, result: fc.RunDetails<[FuzzRequest]>): string => {
  const r = result.counterexample?.[0];
  const error =
    result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
  return [
    `${op.name} (seed ${result.seed}, path ${result.counterexamplePath})`,
    r
      ? clip(
          `${r.method.toUpperCase()} ${r.url} auth=${JSON.stringify(r.auth)} headers=${JSON.stringify(r.headers)} body=${JSON.stringify(r.body)}`,
        )
      : '',
    clip(error),
  ].join('\n  ');
};

describe('every route of the OpenAPI document, fuzzed', () => {
  it('has routes to fuzz', () => {
    // The document is read at run time; a handful of routes means it did not load.
    expect(operations.length).toBeGreaterThan(30);
  });

  // Routes are only known once the app is up, so the per-route cases are one test that loops:
  // each route's property runs to completion (and shrinks) before the next.
  it(`answers ${TOTAL} hostile requests without a 5xx, each refusal a problem document that wrote nothing`, async () => {
    const perRoute = Math.max(1, Math.ceil(TOTAL / operations.length));
    const failures: string[] = [];
    for (const op of operations) {
      const result = await fc.check(
        fc.asyncProperty(arbitraries.requestFor(op), (r) => check(op, r)),
        { numRuns: perRoute, seed: SEED },
      );
      if (result.failed) failures.push(describeFailure(op, result));
    }
    expect(failures).toEqual([]);
    expect(tally.fiveHundreds - tally.knownFiveHundreds).toBe(0);
    expect(tally.requests).toBeGreaterThanOrEqual(Math.min(TOTAL, perRoute * operations.length));
  }, 3_600_000);
});
