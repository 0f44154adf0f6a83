import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { adminWithSociety, signUp, superAdmin, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';
import { approvedMember, createPlan, pay, subscribe } from '../api/billing/billingActors';
import { recordEvidence } from './support/evidenceResults';
import { forgedTokens } from './support/forgedTokens';
import { WEBHOOK_EVENT_TYPE_NAMES } from '../../src/events/webhooks/webhookEventTypes';

/**
 * The OWASP API Security Top 10 (2023), each risk as attacks a user could try on this API, on the
 * real PostgreSQL over real HTTP. Where an attack is refused, the test also checks that nothing
 * changed (no event, no row), because a refusal that still writes is no refusal.
 */
let t: TestApp;
let root: Actor;
let adminX: Actor;
let adminY: Actor;
let memberA: Actor;
let memberB: Actor;
let societyX: string;
let planX: string;
let classX: string;
let bookingA: string;
let paymentA: string;
const attacks: Record<string, number> = {};

/** Counts each attack for the evidence summary; the assertions are the test. */
const attack = (risk: string) => {
  attacks[risk] = (attacks[risk] ?? 0) + 1;
};

const expectProblem = (res: request.Response, status: number | number[]) => {
  expect(Array.isArray(status) ? status : [status]).toContain(res.status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: res.status });
};

const open = (method: 'get' | 'post' | 'patch' | 'delete', path: string) => request(t.app)[method](path);

/** Runs `fn` and asserts the event store did not move. */
const writesNothing = async (fn: () => Promise<void>) => {
  const before = await t.eventCount();
  await fn();
  expect(await t.eventCount()).toBe(before);
};

beforeAll(async () => {
  t = await startTestApp();
  root = await superAdmin(t);
  const x = await adminWithSociety(t);
  const y = await adminWithSociety(t);
  adminX = x.admin;
  adminY = y.admin;
  societyX = x.societyId;
  memberA = await approvedMember(t, adminX, societyX);
  memberB = await approvedMember(t, adminX, societyX);
  planX = (await createPlan(t, adminX, societyX)).id;
  for (const m of [memberA, memberB]) {
    const sub = await subscribe(t, m, m.userId, planX);
    expect(sub.status).toBe(201);
  }
  const paid = await pay(t, memberA, {
    member_id: memberA.userId,
    subscription_id: planX,
    amount: '1200.00',
  });
  expect(paid.status).toBe(200);
  paymentA = paid.body.id;
  expect(
    (await pay(t, memberB, { member_id: memberB.userId, subscription_id: planX, amount: '1200.00' })).status,
  ).toBe(200);
  const lesson = await request(t.app)
    .post('/api/v1/events')
    .set(...adminX.auth)
    .send({
      name: 'Sunrise yoga',
      society_id: societyX,
      class_type: 'yoga',
      date: '2030-03-05',
      start_time: '07:00',
      end_time: '08:00',
      max_members: 5,
    });
  expect(lesson.status).toBe(201);
  classX = lesson.body.id;
  const booked = await request(t.app)
    .post('/api/v1/bookings')
    .set(...memberA.auth)
    .send({ event_id: classX });
  expect(booked.status).toBe(201);
  bookingA = booked.body.id;
}, 120_000);

afterAll(async () => {
  recordEvidence('owasp', { attacks });
  await t.dispose();
});

describe('API1 broken object-level authorisation', () => {
  it('member B cannot read member A’s profile, bookings or payments', async () => {
    for (const path of [
      `/api/v1/members/${memberA.userId}`,
      `/api/v1/members/${memberA.userId}/bookings`,
      `/api/v1/bookings/${memberA.userId}`,
      `/api/v1/payments/${memberA.userId}`,
      `/api/v1/payments/${paymentA}/invoice`,
      `/api/v1/members/${memberA.userId}/subscriptions`,
    ]) {
      attack('API1');
      const res = await request(t.app)
        .get(path)
        .set(...memberB.auth);
      // Others get 404 (or 403): an id must not reveal whether it exists.
      expectProblem(res, [403, 404]);
      expect(JSON.stringify(res.body)).not.toContain(memberA.email);
    }
  });

  it('member B cannot cancel member A’s booking, by either path; it stays confirmed', async () => {
    await writesNothing(async () => {
      attack('API1');
      expectProblem(
        await request(t.app)
          .delete(`/api/v1/bookings/${bookingA}`)
          .set(...memberB.auth),
        [403, 404],
      );
      attack('API1');
      expectProblem(
        await request(t.app)
          .delete(`/api/v1/members/${memberA.userId}/bookings/${bookingA}`)
          .set(...memberB.auth),
        [403, 404],
      );
      attack('API1');
      expectProblem(
        await request(t.app)
          .delete(`/api/v1/members/${memberB.userId}/bookings/${bookingA}`)
          .set(...memberB.auth),
        [403, 404],
      );
    });
    const mine = await request(t.app)
      .get(`/api/v1/members/${memberA.userId}/bookings`)
      .set(...memberA.auth);
    expect(mine.body.find((b: { id: string }) => b.id === bookingA)?.status).toBe('confirmed');
  });

  it('member B cannot book, subscribe or pay as member A', async () => {
    await writesNothing(async () => {
      attack('API1');
      expectProblem(
        await request(t.app)
          .post('/api/v1/bookings')
          .set(...memberB.auth)
          .send({ event_id: classX, member_id: memberA.userId }),
        [403, 404],
      );
      attack('API1');
      expectProblem(
        await request(t.app)
          .post(`/api/v1/members/${memberA.userId}/bookings`)
          .set(...memberB.auth)
          .send({ event_id: classX }),
        [403, 404],
      );
      attack('API1');
      expectProblem(await subscribe(t, memberB, memberA.userId, planX), [403, 404]);
    });
  });

  it('the admin of society Y reaches nothing of society X', async () => {
    await writesNothing(async () => {
      for (const [method, path, body] of [
        ['get', `/api/v1/members/${memberA.userId}`, undefined],
        ['get', `/api/v1/societies/${societyX}/members`, undefined],
        ['get', `/api/v1/societies/${societyX}/revenue`, undefined],
        ['patch', `/api/v1/societies/${societyX}`, { name: 'Taken over' }],
        ['post', `/api/v1/members/${memberA.userId}/status`, { status: 'rejected', reason: 'x' }],
        ['delete', `/api/v1/bookings/${bookingA}`, undefined],
        ['post', `/api/v1/payments/${paymentA}/refund`, { reason: 'mine now' }],
        ['post', `/api/v1/events/${classX}/cancel`, { reason: 'sabotage' }],
      ] as const) {
        attack('API1');
        const req = open(method, path).set(...adminY.auth);
        expectProblem(body ? await req.send(body) : await req, [403, 404]);
      }
    });
  });
});

describe('API2 broken authentication', () => {
  it.each(Object.keys(forgedTokens({ userId: randomUUID(), token: 'a.b.c' })))(
    'a token with %s is no token: 401',
    async (trick) => {
      attack('API2');
      const token = forgedTokens(memberA)[trick as keyof ReturnType<typeof forgedTokens>];
      const res = await request(t.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
      expectProblem(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    },
  );

  it('a claimed super_admin role under a genuine signature grants nothing: roles are re-read', async () => {
    attack('API2');
    // The genuine token says "member"; the server reads the role from the user, not the token.
    const res = await request(t.app)
      .post(`/api/v1/users/${memberB.userId}/status`)
      .set(...memberA.auth)
      .send({
        status: 'inactive',
      });
    expectProblem(res, 403);
  });

  it('a refresh token used again after its grace window revokes its whole family', async () => {
    const fresh = await signUp(t, 'society_admin');
    const first = await request(t.app)
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: fresh.refreshToken });
    expect(first.status).toBe(200);
    // Past the grace window that lets a client's own concurrent refresh through (409, no revoking).
    await t.db
      .knex('refresh_tokens')
      .where({ user_id: fresh.userId })
      .whereNotNull('used_at')
      .update({ used_at: t.db.knex.raw("used_at - interval '1 minute'") });
    attack('API2');
    const replay = await request(t.app)
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: fresh.refreshToken });
    expectProblem(replay, 401);
    // The legitimate holder's newer token dies with the family: the thief gains nothing by racing.
    attack('API2');
    const next = await request(t.app)
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: first.body.refresh_token });
    expectProblem(next, 401);
  });

  it('a logged-out refresh token is dead', async () => {
    const fresh = await signUp(t, 'society_admin');
    expect(
      (await request(t.app).post('/api/v1/auth/logout').send({ refresh_token: fresh.refreshToken })).status,
    ).toBe(200);
    attack('API2');
    expectProblem(
      await request(t.app).post('/api/v1/auth/refresh').send({ refresh_token: fresh.refreshToken }),
      401,
    );
  });

  it('a deactivated user’s still-valid access token is refused at once', async () => {
    const victim = await signUp(t, 'society_admin');
    const off = await request(t.app)
      .post(`/api/v1/users/${victim.userId}/status`)
      .set(...root.auth)
      .send({
        status: 'inactive',
      });
    expect(off.status).toBe(200);
    attack('API2');
    expectProblem(
      await request(t.app)
        .get('/api/v1/auth/me')
        .set(...victim.auth),
      401,
    );
  });

  it('wrong passwords are answered alike for known and unknown accounts', async () => {
    attack('API2');
    const known = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: adminX.email, password: 'wrong wrong' });
    const unknown = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: `nobody-${randomUUID()}@example.com`, password: 'wrong wrong' });
    expectProblem(known, 401);
    expectProblem(unknown, 401);
    expect(known.body.type).toBe(unknown.body.type);
    expect(known.body.detail).toBe(unknown.body.detail);
  });
});

describe('API3 broken object-property-level authorisation', () => {
  it('a member cannot approve themself, nor set their own status through their profile', async () => {
    const pending = await signUp(t, 'member', { society_id: societyX });
    await writesNothing(async () => {
      attack('API3');
      expectProblem(
        await request(t.app)
          .post(`/api/v1/members/${pending.userId}/status`)
          .set(...pending.auth)
          .send({
            status: 'approved',
          }),
        [403, 404],
      );
      attack('API3');
      expectProblem(
        await request(t.app)
          .patch(`/api/v1/members/${pending.userId}`)
          .set(...pending.auth)
          .send({
            status: 'approved',
          }),
        400,
      );
    });
    const me = await request(t.app)
      .get(`/api/v1/members/${pending.userId}`)
      .set(...pending.auth);
    expect(me.body.status).toBe('pending');
  });

  it('a member cannot name their own price: a short payment completes nothing', async () => {
    const m = await approvedMember(t, adminX, societyX);
    expect((await subscribe(t, m, m.userId, planX)).status).toBe(201);
    attack('API3');
    const cheap = await pay(t, m, { member_id: m.userId, subscription_id: planX, amount: '1.00' });
    expectProblem(cheap, [400, 409, 422]);
    attack('API3');
    const cash = await pay(t, m, {
      member_id: m.userId,
      subscription_id: planX,
      amount: '1200.00',
      method: 'cash',
    });
    expectProblem(cash, 403);
    const subs = await request(t.app)
      .get(`/api/v1/members/${m.userId}/subscriptions`)
      .set(...m.auth);
    expect(subs.body).toEqual([expect.objectContaining({ status: 'awaiting_payment', active: false })]);
  });

  it('nobody signs up as super_admin, nor approved', async () => {
    await writesNothing(async () => {
      for (const extra of [
        { role: 'super_admin' },
        { status: 'approved' },
        { role: 'society_admin', societies: [societyX] },
      ]) {
        attack('API3');
        expectProblem(
          await request(t.app)
            .post('/api/v1/auth/signup')
            .send({
              role: 'society_admin',
              name: 'Mallory',
              email: `mallory-${randomUUID()}@example.com`,
              phone_number: '+919812345670',
              password: 'a long passphrase',
              ...extra,
            }),
          400,
        );
      }
    });
  });

  it('answers never carry password hashes, refresh-token hashes or OTP codes', async () => {
    attack('API3');
    const me = await request(t.app)
      .get('/api/v1/auth/me')
      .set(...memberA.auth);
    const member = await request(t.app)
      .get(`/api/v1/members/${memberA.userId}`)
      .set(...adminX.auth);
    for (const body of [JSON.stringify(me.body), JSON.stringify(member.body)]) {
      expect(body).not.toMatch(/password|argon2|refresh_token_hash|otp|code_hash/i);
    }
  });
});

describe('API4 unrestricted resource consumption', () => {
  it('page sizes are capped: a huge limit is refused, the largest allowed returns at most that many', async () => {
    for (const path of [
      '/api/v1/societies',
      `/api/v1/members/${memberA.userId}/bookings`,
      '/api/v1/trainers',
    ]) {
      attack('API4');
      expectProblem(
        await request(t.app)
          .get(`${path}?limit=1000000`)
          .set(...memberA.auth),
        400,
      );
      const ok = await request(t.app)
        .get(`${path}?limit=100`)
        .set(...memberA.auth);
      expect(ok.status).toBe(200);
    }
  });

  it('a body over 100 kB is refused before parsing, as a problem document', async () => {
    attack('API4');
    const res = await request(t.app)
      .post('/api/v1/societies')
      .set(...adminX.auth)
      .set('Content-Type', 'application/json')
      .send(`{"name":"${'x'.repeat(200_000)}"}`);
    expectProblem(res, 413);
  });

  it('sign-in attempts are rate-limited per address: 429 with Retry-After', async () => {
    const limited = await startTestApp({ authRateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      let last: request.Response | undefined;
      for (let i = 0; i < 6; i++) {
        attack('API4');
        last = await request(limited.app)
          .post('/api/v1/auth/login')
          .send({ email: 'x@example.com', password: 'wrong wrong' });
        statuses.push(last.status);
      }
      expect(statuses.slice(3)).toEqual([429, 429, 429]);
      expectProblem(last!, 429);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.dispose();
    }
  });
});

describe('API5 broken function-level authorisation', () => {
  const adminOnly = () =>
    [
      ['post', '/api/v1/societies', { name: `S ${randomUUID()}`, location: 'L' }],
      ['post', `/api/v1/users/${memberB.userId}/status`, { status: 'inactive' }],
      ['post', `/api/v1/societies/${societyX}/admins`, { user_id: memberA.userId }],
      [
        'post',
        '/api/v1/subscriptions',
        { society_id: societyX, name: 'Free', price: '0.00', duration_in_days: 3650 },
      ],
      ['post', `/api/v1/payments/${paymentA}/refund`, { reason: 'because' }],
      ['get', `/api/v1/societies/${societyX}/revenue`, undefined],
      ['get', `/api/v1/societies/${societyX}/members`, undefined],
      [
        'post',
        '/api/v1/events',
        { name: 'Mine', society_id: societyX, class_type: 'yoga', start_time: '07:00', end_time: '08:00' },
      ],
      ['post', `/api/v1/events/${classX}/cancel`, { reason: 'no' }],
      ['post', '/api/v1/cron-jobs/trigger', { task: 'booking_cleanup' }],
      [
        'post',
        `/api/v1/societies/${societyX}/webhooks`,
        { url: 'https://hooks.example.com/x', event_types: [WEBHOOK_EVENT_TYPE_NAMES[0]] },
      ],
    ] as const;

  it('a member calling admin routes gets 403 (or 404 where ids are hidden), and nothing is written', async () => {
    await writesNothing(async () => {
      for (const [method, path, body] of adminOnly()) {
        attack('API5');
        const req = open(method, path).set(...memberA.auth);
        const res = body ? await req.send(body) : await req;
        expectProblem(res, [403, 404]);
      }
    });
  });

  it('a trainer calling admin routes gets the same', async () => {
    const trainer = await signUp(t, 'trainer');
    await writesNothing(async () => {
      for (const [method, path, body] of adminOnly()) {
        attack('API5');
        const req = open(method, path).set(...trainer.auth);
        const res = body ? await req.send(body) : await req;
        expectProblem(res, [403, 404]);
      }
    });
  });
});

describe('API6 mass assignment and unrestricted business flows', () => {
  it('extra fields are refused, never applied', async () => {
    await writesNothing(async () => {
      attack('API6');
      expectProblem(
        await request(t.app)
          .post('/api/v1/societies')
          .set(...adminX.auth)
          .send({ name: `S ${randomUUID()}`, location: 'L', id: randomUUID(), created_by: root.userId }),
        400,
      );
      attack('API6');
      expectProblem(
        await request(t.app)
          .post('/api/v1/bookings')
          .set(...memberB.auth)
          .send({ event_id: classX, status: 'confirmed', waitlist_position: 0 }),
        400,
      );
      attack('API6');
      expectProblem(
        await request(t.app)
          .patch(`/api/v1/societies/${societyX}`)
          .set(...adminX.auth)
          .send({ __proto__: { admin: true }, id: randomUUID() }),
        [400, 428],
      );
    });
  });

  it('the same Idempotency-Key books once, however often it is sent at once', async () => {
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(t.app)
          .post('/api/v1/bookings')
          .set(...memberB.auth)
          .set('Idempotency-Key', key)
          .send({ event_id: classX }),
      ),
    );
    attack('API6');
    expect(new Set(answers.filter((a) => a.status < 300).map((a) => a.body.id)).size).toBe(1);
    const mine = await request(t.app)
      .get(`/api/v1/members/${memberB.userId}/bookings`)
      .set(...memberB.auth);
    expect(
      mine.body.filter(
        (b: { event_id: string; status: string }) => b.event_id === classX && b.status !== 'canceled',
      ),
    ).toHaveLength(1);
  });
});

describe('API7 server-side request forgery on webhook URLs', () => {
  it.each([
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.7/hook',
    'https://192.168.1.1/hook',
    'https://172.16.0.1/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://2130706433/hook',
    'https://0x7f000001/hook',
    'https://0/hook',
    'http://hooks.example.com/plain-http',
    'https://user:secret@hooks.example.com/hook',
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_INFO',
  ])('%s is refused and not registered', async (url) => {
    attack('API7');
    const count = async () =>
      Number((await t.db.knex('webhook_subscriptions').count({ n: '*' }).first())?.n ?? 0);
    const before = await count();
    const res = await request(t.app)
      .post(`/api/v1/societies/${societyX}/webhooks`)
      .set(...adminX.auth)
      .send({ url, event_types: [WEBHOOK_EVENT_TYPE_NAMES[0]] });
    expectProblem(res, [400, 422]);
    expect(await count()).toBe(before);
  });
});

describe('API8 security misconfiguration', () => {
  it('answers carry the security headers and no framework banner', async () => {
    for (const path of ['/health', '/api/v1/societies', '/api/v1/no-such-route']) {
      attack('API8');
      const res = await request(t.app).get(path);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-frame-options']).toBeDefined();
      expect(res.headers['referrer-policy']).toBeDefined();
    }
  });

  it('errors never leak a stack trace or SQL', async () => {
    attack('API8');
    const res = await request(t.app)
      .get('/api/v1/events?to=0000-01-01')
      .set(...adminX.auth);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).not.toMatch(/\bat [\w.<>]+ \(|SELECT |node_modules/);
  });
});

describe('API9 improper inventory management', () => {
  it('every route served is in the OpenAPI document, and the document lists nothing unserved', async () => {
    attack('API9');
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body as { paths: Record<string, object> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const served = t.app.routeBook.routes.map((r) => `${r.method} ${r.path}`);
    expect([...documented].sort()).toEqual([...served].sort());
  });
});

describe('API10 unsafe consumption of APIs', () => {
  it('a payment-provider webhook without a valid signature changes nothing', async () => {
    await writesNothing(async () => {
      for (const signature of [
        undefined,
        't=1,v1=deadbeef',
        `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
      ]) {
        attack('API10');
        let req = request(t.app).post('/api/v1/payments/webhook').set('Content-Type', 'application/json');
        if (signature) req = req.set('ArcFit-Signature', signature);
        const res = await req.send({ type: 'payment.completed', data: { payment_id: paymentA } });
        expectProblem(res, [400, 401]);
      }
    });
  });
});
