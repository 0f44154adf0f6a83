import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { physicalTableName, applyEvents } from '../../src/projections/engine/projection';
import { membersProjection } from '../../src/projections/members/membersProjection';
import { adminWithSociety, signUp, superAdmin, uniquePhone, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

let t: TestApp;
let adminX: Actor;
let secondAdminX: Actor;
let adminY: Actor;
let root: Actor;
let societyX: string;
let societyY: string;

beforeAll(async () => {
  t = await startTestApp();
  root = await superAdmin(t);
  const x = await adminWithSociety(t);
  const y = await adminWithSociety(t);
  [adminX, societyX, adminY, societyY] = [x.admin, x.societyId, y.admin, y.societyId];
  secondAdminX = await signUp(t, 'society_admin');
  const grant = await request(t.app)
    .post(`/api/v1/societies/${societyX}/admins`)
    .set(...root.auth)
    .send({ user_id: secondAdminX.userId });
  expect(grant.status).toBe(200);
});
afterAll(async () => t.dispose());

const expectProblem = (res: request.Response, status: number, typeSuffix: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`${typeSuffix}$`)) });
};

const newMember = (overrides: Record<string, unknown> = {}) => ({
  name: 'Asha Rao',
  email: `Asha.${randomUUID()}@Example.com`,
  phone_number: uniquePhone(),
  society_id: societyX,
  ...overrides,
});

const onboard = async (by: Actor = adminX, overrides: Record<string, unknown> = {}) => {
  const res = await request(t.app)
    .post('/api/v1/members')
    .set(...by.auth)
    .send(newMember(overrides));
  if (res.status !== 201) throw new Error(`onboard failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; email: string; phone_number: string };
};

const decide = (by: Actor, id: string, body: Record<string, unknown>) =>
  request(t.app)
    .post(`/api/v1/members/${id}/status`)
    .set(...by.auth)
    .send(body);

/** A member who applied at signup: the signup answer already includes the application. */
const selfRegisteredMember = () => signUp(t, 'member', { society_id: societyX });

describe('onboarding', () => {
  it('records a pending member, onboarded by the admin, that the next GET returns', async () => {
    const subscriptionId = randomUUID();
    const e164 = uniquePhone();
    // Typed the national way; stored and claimed in E.164.
    const body = newMember({
      phone_number: `0${e164.slice(3, 8)} ${e164.slice(8)}`,
      subscription_id: subscriptionId,
    });
    const created = await request(t.app)
      .post('/api/v1/members')
      .set(...adminX.auth)
      .send(body);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/members/${created.body.id}`);
    expect(created.headers['arcfit-position']).toMatch(/^\d+\/\d+$/);
    expect(created.body).toMatchObject({
      name: 'Asha Rao',
      email: body.email.toLowerCase(),
      phone_number: e164,
      phone_verified: false,
      status: 'pending',
      society_id: societyX,
      society: { id: societyX, name: expect.stringMatching(/^Society /) },
      subscription_id: subscriptionId,
      self_registered: false,
      onboarded_by: adminX.userId,
      decided_by: null,
    });
    const fetched = await request(t.app)
      .get(`/api/v1/members/${created.body.id}`)
      .set(...adminX.auth);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
  });

  it('gives one member per email, however it is typed (409 member-email-taken, nothing written)', async () => {
    const first = await onboard();
    const before = await t.eventCount();
    const dup = await request(t.app)
      .post('/api/v1/members')
      .set(...secondAdminX.auth)
      .send(newMember({ email: `  ${first.email.toUpperCase()} ` }));
    expectProblem(dup, 409, 'member-email-taken');
    expect(await t.eventCount()).toBe(before);
  });

  it('gives one member per phone number (409 member-phone-taken)', async () => {
    const first = await onboard();
    const dup = await request(t.app)
      .post('/api/v1/members')
      .set(...adminX.auth)
      .send(newMember({ phone_number: first.phone_number }));
    expectProblem(dup, 409, 'member-phone-taken');
  });

  it('onboards one member for a request retried with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const body = newMember();
    const first = await request(t.app)
      .post('/api/v1/members')
      .set(...adminX.auth)
      .set('Idempotency-Key', key)
      .send(body);
    const before = await t.eventCount();
    const second = await request(t.app)
      .post('/api/v1/members')
      .set(...adminX.auth)
      .set('Idempotency-Key', key)
      .send(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await t.eventCount()).toBe(before);
  });

  it('refuses an admin onboarding into a society they do not administer (403)', async () => {
    const before = await t.eventCount();
    const res = await request(t.app)
      .post('/api/v1/members')
      .set(...adminY.auth)
      .send(newMember());
    expectProblem(res, 403, 'forbidden');
    expect(await t.eventCount()).toBe(before);
  });
});

describe('maker-checker', () => {
  it('refuses the onboarding admin as checker; a second admin of the society approves', async () => {
    const member = await onboard(adminX);
    const before = await t.eventCount();
    const own = await decide(adminX, member.id, { status: 'approved' });
    expectProblem(own, 422, 'maker-checker-violation');
    expect(own.body.detail).toMatch(/another admin/);
    expect(await t.eventCount()).toBe(before);

    const approved = await decide(secondAdminX, member.id, { status: 'approved' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      onboarded_by: adminX.userId,
      decided_by: secondAdminX.userId,
      decision_reason: null,
    });
    const events = await t.store.readStream(`member-${member.id}`);
    expect(events.map((e) => e.type)).toEqual(['MemberOnboarded', 'MemberApproved']);
    expect(events[1]!.data).toMatchObject({ maker: adminX.userId, checker: secondAdminX.userId });

    const again = await decide(root, member.id, { status: 'rejected', reason: 'too late' });
    expectProblem(again, 409, 'member-already-decided');
  });

  it('lets a super_admin act as checker', async () => {
    const member = await onboard(adminX);
    const approved = await decide(root, member.id, { status: 'approved' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      onboarded_by: adminX.userId,
      decided_by: root.userId,
    });
  });

  it('holds for a super_admin too: whoever onboarded a member may not approve them', async () => {
    const member = await onboard(root);
    const before = await t.eventCount();
    const own = await decide(root, member.id, { status: 'approved' });
    expectProblem(own, 422, 'maker-checker-violation');
    expect(own.body.detail).toMatch(/You onboarded this member/);
    expect(await t.eventCount()).toBe(before);
    const approved = await decide(adminX, member.id, { status: 'approved' });
    expect(approved.body).toMatchObject({
      status: 'approved',
      onboarded_by: root.userId,
      decided_by: adminX.userId,
    });
  });

  it('needs a reason to reject', async () => {
    const member = await onboard(adminX);
    const before = await t.eventCount();
    expectProblem(
      await decide(secondAdminX, member.id, { status: 'rejected' }),
      422,
      'rejection-reason-required',
    );
    expectProblem(
      await decide(secondAdminX, member.id, { status: 'rejected', reason: '   ' }),
      422,
      'rejection-reason-required',
    );
    expect(await t.eventCount()).toBe(before);
    const rejected = await decide(secondAdminX, member.id, {
      status: 'rejected',
      reason: 'Not a resident',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      decision_reason: 'Not a resident',
      decided_by: secondAdminX.userId,
    });
  });

  it('lets any admin of the society decide a self-registered application', async () => {
    const member = await selfRegisteredMember();
    const approved = await decide(adminX, member.userId, { status: 'approved' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      self_registered: true,
      onboarded_by: null,
      decided_by: adminX.userId,
    });
  });
});

describe('who sees and changes a member', () => {
  it('shows a member their own record and hides it from other members (404)', async () => {
    const a = await selfRegisteredMember();
    const b = await selfRegisteredMember();
    const own = await request(t.app)
      .get(`/api/v1/members/${a.userId}`)
      .set(...a.auth);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: a.userId, self_registered: true, status: 'pending' });
    expectProblem(
      await request(t.app)
        .get(`/api/v1/members/${a.userId}`)
        .set(...b.auth),
      404,
      'member-not-found',
    );
    expectProblem(
      await request(t.app)
        .patch(`/api/v1/members/${a.userId}`)
        .set(...b.auth)
        .send({ name: 'Hijacked' }),
      404,
      'member-not-found',
    );
    // A member cannot decide applications at all (route policy).
    expectProblem(await decide(a, a.userId, { status: 'approved' }), 403, 'forbidden');
  });

  it('lets the member change their phone, which becomes unverified', async () => {
    const a = await selfRegisteredMember();
    const phone = uniquePhone();
    const changed = await request(t.app)
      .patch(`/api/v1/members/${a.userId}`)
      .set(...a.auth)
      .send({ phone_number: phone, name: 'New Name' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ phone_number: phone, phone_verified: false, name: 'New Name' });
    const events = await t.store.readStream(`member-${a.userId}`);
    expect(events[events.length - 1]!.data).toMatchObject({ phoneVerified: false });
  });

  it('moves the email claim on a change: the old email is free, the new one taken', async () => {
    const m = await onboard();
    const other = await onboard();
    const newEmail = `moved.${randomUUID()}@example.com`;
    const clash = await request(t.app)
      .patch(`/api/v1/members/${m.id}`)
      .set(...adminX.auth)
      .send({ email: other.email });
    expectProblem(clash, 409, 'member-email-taken');
    const moved = await request(t.app)
      .patch(`/api/v1/members/${m.id}`)
      .set(...adminX.auth)
      .send({ email: newEmail });
    expect(moved.status).toBe(200);
    expect(moved.body.email).toBe(newEmail);
    await onboard(adminX, { email: m.email });
    const taken = await request(t.app)
      .post('/api/v1/members')
      .set(...adminX.auth)
      .send(newMember({ email: newEmail }));
    expectProblem(taken, 409, 'member-email-taken');
  });

  it('gives an admin of another society 404 on the member and 403 on the society’s list', async () => {
    const m = await onboard();
    expectProblem(
      await request(t.app)
        .get(`/api/v1/members/${m.id}`)
        .set(...adminY.auth),
      404,
      'member-not-found',
    );
    expectProblem(
      await request(t.app)
        .patch(`/api/v1/members/${m.id}`)
        .set(...adminY.auth)
        .send({ name: 'X' }),
      404,
      'member-not-found',
    );
    expectProblem(await decide(adminY, m.id, { status: 'approved' }), 404, 'member-not-found');
    expectProblem(
      await request(t.app)
        .get(`/api/v1/societies/${societyX}/members`)
        .set(...adminY.auth),
      403,
      'forbidden',
    );
  });
});

describe('the society’s member list', () => {
  it('lists pending applications for the society’s admins, page by page', async () => {
    const { admin, societyId } = await adminWithSociety(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await onboard(admin, { society_id: societyId })).id);
    expect((await decide(root, ids[2]!, { status: 'approved' })).status).toBe(200);

    // A bare array per page; the next page is linked in the headers until the last one.
    const seen: string[] = [];
    let next: string | undefined = `/api/v1/societies/${societyId}/members?status=pending&limit=2`;
    while (next) {
      const page: request.Response = await request(t.app)
        .get(next)
        .set(...admin.auth);
      expect(page.status).toBe(200);
      seen.push(...page.body.map((m: { id: string; status: string }) => m.id));
      next = /<([^>]+)>; rel="next"/.exec(String(page.headers.link ?? ''))?.[1];
    }
    expect(seen).toEqual(ids.filter((_, i) => i !== 2));

    const all = await request(t.app)
      .get(`/api/v1/societies/${societyId}/members`)
      .set(...root.auth);
    expect(all.body).toHaveLength(5);
  });
});

describe('refuses bad input with a problem document and writes nothing', () => {
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/members')
      .set(...adminX.auth)
      .send(body as object);
  const cases: Array<[string, () => request.Test, number, string]> = [
    ['missing fields', () => post({}), 400, 'validation-error'],
    ['a malformed email', () => post(newMember({ email: 'not-an-email' })), 400, 'validation-error'],
    ['an invalid phone', () => post(newMember({ phone_number: '12345' })), 400, 'validation-error'],
    ['a malformed subscription id', () => post(newMember({ subscription_id: 'x' })), 400, 'validation-error'],
    ['a read-only field (status)', () => post(newMember({ status: 'approved' })), 400, 'validation-error'],
    [
      'an unknown society (as super_admin)',
      () =>
        request(t.app)
          .post('/api/v1/members')
          .set(...root.auth)
          .send(newMember({ society_id: randomUUID() })),
      422,
      'society-not-found',
    ],
    [
      'a malformed member id',
      () =>
        request(t.app)
          .get('/api/v1/members/not-a-uuid')
          .set(...adminX.auth),
      400,
      'validation-error',
    ],
    [
      'an unknown member',
      () =>
        request(t.app)
          .get(`/api/v1/members/${randomUUID()}`)
          .set(...root.auth),
      404,
      'member-not-found',
    ],
    [
      'an empty profile change',
      () =>
        request(t.app)
          .patch(`/api/v1/members/${randomUUID()}`)
          .set(...root.auth)
          .send({}),
      400,
      'validation-error',
    ],
    ['an unknown decision', () => decide(root, randomUUID(), { status: 'maybe' }), 400, 'validation-error'],
    [
      'a decision on an unknown member',
      () => decide(root, randomUUID(), { status: 'approved' }),
      404,
      'member-not-found',
    ],
    [
      'a page size over the cap',
      () =>
        request(t.app)
          .get(`/api/v1/societies/${societyY}/members?limit=101`)
          .set(...root.auth),
      400,
      'validation-error',
    ],
    [
      'an unknown status filter',
      () =>
        request(t.app)
          .get(`/api/v1/societies/${societyY}/members?status=gone`)
          .set(...root.auth),
      400,
      'validation-error',
    ],
    [
      'a forged cursor',
      () =>
        request(t.app)
          .get(`/api/v1/societies/${societyY}/members?cursor=abc`)
          .set(...root.auth),
      400,
      'validation-error',
    ],
  ];

  it.each(cases)('%s', async (_label, send, status, type) => {
    const before = await t.eventCount();
    expectProblem(await send(), status, type);
    expect(await t.eventCount()).toBe(before);
  });
});

describe('members projection', () => {
  it('changes nothing when the same events are applied a second time', async () => {
    const members = () => t.db.knex('members').orderBy('id').select();
    const before = await members();
    expect(before.length).toBeGreaterThan(0);
    // Replay everything into the same table, as a crash between apply and checkpoint would.
    const events = await t.store.readAll({ maxCount: 100_000 });
    await t.db.knex.transaction(async (trx) => {
      for (const event of events.filter((e) => membersProjection.handles.includes(e.type))) {
        await applyEvents(membersProjection, [event], { trx, table: (l) => physicalTableName(l, 1) });
      }
    });
    expect(await members()).toEqual(before);
  });
});
