import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TEST_METRICS_TOKEN, type TestApp } from '../support/testApp';
import { signUp, superAdmin, type Actor } from '../support/actors';

let t: TestApp;
let admin: Actor;
let root: Actor;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t, 'society_admin');
  root = await superAdmin(t);
});
afterAll(async () => t.dispose());

const newSociety = (overrides: Record<string, unknown> = {}) => ({
  name: `Green Park ${randomUUID().slice(0, 8)}`,
  location: 'Sector 62, Noida',
  ...overrides,
});

const expectProblem = (res: request.Response, status: number, typeSuffix: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`${typeSuffix}$`)) });
  expect(typeof res.body.title).toBe('string');
};

describe('societies', () => {
  it('creates a society that the next GET returns, with defaults filled in', async () => {
    const body = newSociety({ capacity: 250, latitude: 28.6, longitude: 77.3 });
    const created = await request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth)
      .send(body);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/societies/${created.body.id}`);
    expect(created.headers['arcfit-position']).toMatch(/^\d+\/\d+$/);
    expect(created.body).toMatchObject({
      name: body.name,
      location: body.location,
      max_members_per_event: 20,
      capacity: 250,
      // Revenue as the spec documents it (a number, 0 at creation), under both of its names.
      revenue: 0,
      revenue_details: 0,
      timezone: 'Asia/Kolkata',
      latitude: 28.6,
      longitude: 77.3,
      weekly_booking_limit: 5,
      cancellation_cutoff_minutes: 60,
    });

    // Its admin sees it as created; anyone else the same society without its revenue.
    const fetched = await request(t.app)
      .get(`/api/v1/societies/${created.body.id}`)
      .set(...admin.auth);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
    const { revenue: _revenue, revenue_details: _details, ...publicView } = created.body;
    expect((await request(t.app).get(`/api/v1/societies/${created.body.id}`)).body).toEqual(publicView);
    expect(fetched.headers.etag).toBe('"0"');

    const listed = await request(t.app).get('/api/v1/societies').query({ name: body.name });
    // A bare array, as the spec lists societies; anonymous callers see no revenue in it.
    expect(listed.body).toEqual([publicView]);
  });

  it('changes details with PATCH, guarded by If-Match', async () => {
    const { body: society } = await request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth)
      .send(newSociety());
    const changed = await request(t.app)
      .patch(`/api/v1/societies/${society.id}`)
      .set(...admin.auth)
      .set('If-Match', '"0"')
      .send({ max_members_per_event: 12, timezone: 'Europe/London' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      max_members_per_event: 12,
      timezone: 'Europe/London',
      name: society.name,
    });
    expect(changed.headers.etag).toBe('"1"');

    const stale = await request(t.app)
      .patch(`/api/v1/societies/${society.id}`)
      .set(...admin.auth)
      .set('If-Match', '"0"')
      .send({ capacity: 5 });
    expectProblem(stale, 412, 'stale-revision');
    expect((await request(t.app).get(`/api/v1/societies/${society.id}`)).body.capacity).toBe(100);
  });

  it('records the booking settings, returns them from every read, and changes them with PATCH', async () => {
    const created = await request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth)
      .send(newSociety({ weekly_booking_limit: 2, cancellation_cutoff_minutes: 180 }));
    expect(created.status).toBe(201);
    const settings = { weekly_booking_limit: 2, cancellation_cutoff_minutes: 180 };
    expect(created.body).toMatchObject(settings);
    expect((await request(t.app).get(`/api/v1/societies/${created.body.id}`)).body).toMatchObject(settings);
    const listed = await request(t.app).get('/api/v1/societies').query({ name: created.body.name });
    expect(listed.body).toEqual([expect.objectContaining(settings)]);

    const changed = await request(t.app)
      .patch(`/api/v1/societies/${created.body.id}`)
      .set(...admin.auth)
      .send({ weekly_booking_limit: 50, cancellation_cutoff_minutes: 0 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ weekly_booking_limit: 50, cancellation_cutoff_minutes: 0 });
    expect((await request(t.app).get(`/api/v1/societies/${created.body.id}`)).body).toMatchObject({
      weekly_booking_limit: 50,
      cancellation_cutoff_minutes: 0,
      max_members_per_event: 20,
    });

    // One setting alone; the other keeps its value.
    const one = await request(t.app)
      .patch(`/api/v1/societies/${created.body.id}`)
      .set(...admin.auth)
      .send({ cancellation_cutoff_minutes: 10_080 });
    expect(one.body).toMatchObject({ weekly_booking_limit: 50, cancellation_cutoff_minutes: 10_080 });
  });

  it('names the field and the allowed range when a booking setting is out of range', async () => {
    const before = await t.eventCount();
    const bad = await request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth)
      .send(newSociety({ weekly_booking_limit: 0, cancellation_cutoff_minutes: 1.5 }));
    expectProblem(bad, 400, 'validation-error');
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          in: 'body',
          path: 'weekly_booking_limit',
          message: 'must be a whole number from 1 to 50',
        }),
        expect.objectContaining({
          in: 'body',
          path: 'cancellation_cutoff_minutes',
          message: 'must be a whole number from 0 to 10080',
        }),
      ]),
    );
    expect(bad.body.detail).toMatch(/body\.weekly_booking_limit: must be a whole number from 1 to 50/);
    expect(await t.eventCount()).toBe(before);
  });

  it('pages through the list with a cursor, each society once', async () => {
    const tag = randomUUID().slice(0, 8);
    for (let i = 0; i < 5; i++)
      await request(t.app)
        .post('/api/v1/societies')
        .set(...admin.auth)
        .send(newSociety({ name: `Paged ${tag} ${i}` }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '2', name: `Paged ${tag}` };
      if (cursor) query.cursor = cursor;
      const page = await request(t.app).get('/api/v1/societies').query(query);
      expect(page.status).toBe(200);
      seen.push(...page.body.map((s: { name: string }) => s.name));
      cursor = page.headers['arcfit-next-cursor'] ?? null;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `Paged ${tag} ${i}`));
  });

  it('lets a renamed society’s old name be taken by another, and never two with one name', async () => {
    const first = await request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth)
      .send(newSociety());
    const oldName = first.body.name;
    const renamed = await request(t.app)
      .patch(`/api/v1/societies/${first.body.id}`)
      .set(...admin.auth)
      .send({ name: `${oldName} Phase 2` });
    expect(renamed.status).toBe(200);
    const reuse = await request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth)
      .send(newSociety({ name: oldName }));
    expect(reuse.status).toBe(201);
    const clash = await request(t.app)
      .patch(`/api/v1/societies/${reuse.body.id}`)
      .set(...admin.auth)
      .send({ name: `${oldName} phase  2` });
    expectProblem(clash, 409, 'society-name-taken');
  });

  it('gives one society per name when many create it at once', async () => {
    const name = `Race ${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        request(t.app)
          .post('/api/v1/societies')
          .set(...admin.auth)
          .send(newSociety({ name: i % 2 ? name : name.toUpperCase() })),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) expectProblem(r, 409, 'society-name-taken');
    const listed = await request(t.app).get('/api/v1/societies').query({ name });
    expect(listed.body).toHaveLength(1);
  });

  it('creates one society for a request retried with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const body = newSociety();
    const first = await request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth)
      .set('Idempotency-Key', key)
      .send(body);
    const before = await t.eventCount();
    const second = await request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth)
      .set('Idempotency-Key', key)
      .send(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await t.eventCount()).toBe(before);
  });

  it('tells a super admin why an account cannot administer a society, and what can', async () => {
    const society = await request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth)
      .send(newSociety());
    const member = await signUp(t, 'member', { society_id: society.body.id });
    const before = await t.eventCount();
    const res = await request(t.app)
      .post(`/api/v1/societies/${society.body.id}/admins`)
      .set(...root.auth)
      .send({ user_id: member.userId });
    expectProblem(res, 422, 'not-a-society-admin');
    expect(res.body.detail).toMatch(/member/);
    expect(res.body.detail).toMatch(/society_admin/);
    expect(await t.eventCount()).toBe(before);
  });

  describe('refuses bad input with a problem document and writes nothing', () => {
    const cases: Array<[string, () => request.Test, number, string]> = [
      [
        'missing fields',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send({}),
        400,
        'validation-error',
      ],
      [
        'wrong types',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send({ name: 42, location: ['x'] }),
        400,
        'validation-error',
      ],
      [
        'a negative seat limit',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ max_members_per_event: -1 })),
        400,
        'validation-error',
      ],
      [
        'an unknown time zone',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ timezone: 'Mars/Olympus' })),
        400,
        'validation-error',
      ],
      [
        'a read-only field (revenue)',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ revenue_details: '1000000.00' })),
        400,
        'validation-error',
      ],
      [
        'a weekly booking limit of 0',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ weekly_booking_limit: 0 })),
        400,
        'validation-error',
      ],
      [
        'a weekly booking limit over 50',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ weekly_booking_limit: 51 })),
        400,
        'validation-error',
      ],
      [
        'a fractional weekly booking limit',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ weekly_booking_limit: 2.5 })),
        400,
        'validation-error',
      ],
      [
        'a weekly booking limit as text',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ weekly_booking_limit: '3' })),
        400,
        'validation-error',
      ],
      [
        'a negative cancellation cutoff',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ cancellation_cutoff_minutes: -1 })),
        400,
        'validation-error',
      ],
      [
        'a cancellation cutoff over a week',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ cancellation_cutoff_minutes: 10_081 })),
        400,
        'validation-error',
      ],
      [
        'a null cancellation cutoff',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ cancellation_cutoff_minutes: null })),
        400,
        'validation-error',
      ],
      [
        'a change to a weekly booking limit of 0',
        () =>
          request(t.app)
            .patch(`/api/v1/societies/${randomUUID()}`)
            .set(...root.auth)
            .send({ weekly_booking_limit: 0 }),
        400,
        'validation-error',
      ],
      [
        'a change to a fractional cancellation cutoff',
        () =>
          request(t.app)
            .patch(`/api/v1/societies/${randomUUID()}`)
            .set(...root.auth)
            .send({ cancellation_cutoff_minutes: 30.5 }),
        400,
        'validation-error',
      ],
      [
        'latitude without longitude',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .send(newSociety({ latitude: 10 })),
        400,
        'validation-error',
      ],
      [
        'malformed JSON',
        () =>
          request(t.app)
            .post('/api/v1/societies')
            .set(...admin.auth)
            .set('Content-Type', 'application/json')
            .send('{"name":'),
        400,
        'malformed-request',
      ],
      ['a malformed id', () => request(t.app).get('/api/v1/societies/not-a-uuid'), 400, 'validation-error'],
      [
        'an unknown society',
        () => request(t.app).get(`/api/v1/societies/${randomUUID()}`),
        404,
        'society-not-found',
      ],
      [
        'a change to an unknown society',
        () =>
          request(t.app)
            .patch(`/api/v1/societies/${randomUUID()}`)
            .set(...root.auth)
            .send({ capacity: 3 }),
        404,
        'society-not-found',
      ],
      [
        'an empty change',
        () =>
          request(t.app)
            .patch(`/api/v1/societies/${randomUUID()}`)
            .set(...root.auth)
            .send({}),
        400,
        'validation-error',
      ],
      [
        'a page size over the cap',
        () => request(t.app).get('/api/v1/societies?limit=100000'),
        400,
        'validation-error',
      ],
      ['an unknown route', () => request(t.app).get('/api/v1/nothing-here'), 404, 'not-found'],
    ];

    it.each(cases)('%s', async (_label, send, status, type) => {
      const before = await t.eventCount();
      expectProblem(await send(), status, type);
      expect(await t.eventCount()).toBe(before);
    });

    it('a duplicate name, in any case or spacing', async () => {
      const { body } = await request(t.app)
        .post('/api/v1/societies')
        .set(...admin.auth)
        .send(newSociety());
      const before = await t.eventCount();
      const dup = await request(t.app)
        .post('/api/v1/societies')
        .set(...admin.auth)
        .send(newSociety({ name: `  ${body.name.toUpperCase().replace(' ', '   ')} ` }));
      expectProblem(dup, 409, 'society-name-taken');
      expect(await t.eventCount()).toBe(before);
    });
  });
});

describe('service endpoints', () => {
  it('answers /health and /ready with the projections caught up', async () => {
    expect((await request(t.app).get('/health')).body).toEqual({ status: 'ok' });
    const ready = await request(t.app).get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', event_store: 'ok', projections: 'ok' });
    expect(ready.body.projections.map((p: { name: string }) => p.name)).toContain('societies');
  });

  it('serves an OpenAPI 3.1 document that describes the society routes', async () => {
    const doc = await request(t.app).get('/api/v1/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/societies', '/api/v1/societies/{id}']),
    );
    expect(
      doc.body.paths['/api/v1/societies'].post.requestBody.content['application/json'].schema,
    ).toBeDefined();
    const { CreateSociety, UpdateSociety, Society } = doc.body.components.schemas;
    for (const schema of [CreateSociety, UpdateSociety])
      expect(schema.properties).toMatchObject({
        weekly_booking_limit: { type: 'integer', minimum: 1, maximum: 50 },
        cancellation_cutoff_minutes: { type: 'integer', minimum: 0, maximum: 10080 },
      });
    expect(CreateSociety.properties.weekly_booking_limit.default).toBe(5);
    expect(CreateSociety.properties.cancellation_cutoff_minutes.default).toBe(60);
    expect(Society.required).toEqual(
      expect.arrayContaining(['weekly_booking_limit', 'cancellation_cutoff_minutes']),
    );
    expect((await request(t.app).get('/api/v1/docs/')).text).toMatch(/swagger-ui/i);
  });

  it('exposes Prometheus metrics, request ids and security headers', async () => {
    const res = await request(t.app)
      .get('/metrics')
      .set('Authorization', `Bearer ${TEST_METRICS_TOKEN}`)
      .set('X-Request-Id', 'trace-123');
    expect(res.text).toMatch(/http_request_duration_seconds/);
    expect(res.text).toMatch(/projection_lag_seconds\{projection="societies"/);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
