import request from 'supertest';
import { subscriptionEligibility } from '../../../src/commands/billing/subscriptionEligibility';
import { superAdmin, type Actor } from '../../support/actors';
import { giveActiveSubscription } from '../../support/subscriptions';
import { startTestApp, type TestApp } from '../../support/testApp';
import { approvedMember, createPlan, expectProblem, pay, societyIn, subscribe } from './billingActors';

let t: TestApp;
let admin: Actor;
let otherAdmin: Actor;
let root: Actor;
let societyId: string;
let otherSocietyId: string;

beforeAll(async () => {
  t = await startTestApp();
  root = await superAdmin(t);
  ({ admin, societyId } = await societyIn(t, 'Asia/Kolkata'));
  ({ admin: otherAdmin, societyId: otherSocietyId } = await societyIn(t, 'Europe/London'));
});
afterAll(async () => t.dispose());

const isActiveNow = (memberId: string) =>
  subscriptionEligibility(t.commands).isActiveAt(memberId, new Date());

describe('plans', () => {
  it('creates a plan with an exact price and lists it for the society', async () => {
    const plan = await createPlan(t, admin, societyId, { name: 'Gold', price: 999.5 });
    expect(plan).toMatchObject({
      name: 'Gold',
      price: 999.5,
      currency: 'INR',
      duration_in_days: 30,
      retired: false,
    });
    const list = await request(t.app)
      .get(`/api/v1/subscriptions?society_id=${societyId}`)
      .set(...admin.auth);
    expect(list.status).toBe(200);
    expect(list.body.map((p: { id: string }) => p.id)).toContain(plan.id);
  });

  it('refuses a second plan of the same name in the same society, but not in another', async () => {
    await createPlan(t, admin, societyId, { name: 'Silver' });
    const again = await request(t.app)
      .post('/api/v1/subscriptions')
      .set(...admin.auth)
      .send({ society_id: societyId, name: 'silver ', price: '10', duration_in_days: 7 });
    expectProblem(again, 409, 'plan-name-taken');
    await expect(createPlan(t, otherAdmin, otherSocietyId, { name: 'Silver' })).resolves.toBeDefined();
  });

  it('refuses a float-looking price with more than two decimals, and another society’s admin', async () => {
    const before = await t.eventCount();
    const res = await request(t.app)
      .post('/api/v1/subscriptions')
      .set(...admin.auth)
      .send({ society_id: societyId, name: 'Odd', price: 0.1 + 0.2, duration_in_days: 7 });
    expectProblem(res, 400, 'validation-error');
    const foreign = await request(t.app)
      .post('/api/v1/subscriptions')
      .set(...otherAdmin.auth)
      .send({ society_id: societyId, name: 'Mine now', price: '10', duration_in_days: 7 });
    expectProblem(foreign, 403, 'forbidden');
    const global = await request(t.app)
      .post('/api/v1/subscriptions')
      .set(...admin.auth)
      .send({ society_id: null, name: 'Everywhere', price: '10', duration_in_days: 7 });
    expectProblem(global, 403, 'forbidden');
    expect(await t.eventCount()).toBe(before);
  });

  it('accepts only the currencies the product supports, naming them when it refuses', async () => {
    const before = await t.eventCount();
    const unsupported = await request(t.app)
      .post('/api/v1/subscriptions')
      .set(...admin.auth)
      .send({ society_id: societyId, name: 'Test money', price: '10', currency: 'XXX', duration_in_days: 7 });
    expectProblem(unsupported, 400, 'validation-error');
    expect(unsupported.body.detail).toMatch(/currency/);
    expect(unsupported.body.detail).toMatch(/INR, USD, EUR, GBP, AED, SGD/);
    expect(await t.eventCount()).toBe(before);
    const rupees = await createPlan(t, admin, societyId, { name: 'Rupees', currency: 'INR' });
    expect(rupees).toMatchObject({ currency: 'INR' });
  });

  it('lets a super_admin offer a plan to every society, and a retired plan takes no subscribers', async () => {
    const everywhere = await createPlan(t, root, null, { name: `Everywhere ${Date.now()}` });
    const list = await request(t.app)
      .get(`/api/v1/subscriptions?society_id=${otherSocietyId}`)
      .set(...otherAdmin.auth);
    expect(list.body.map((p: { id: string }) => p.id)).toContain(everywhere.id);

    const plan = await createPlan(t, admin, societyId);
    const retired = await request(t.app)
      .post(`/api/v1/subscriptions/${plan.id}/retire`)
      .set(...admin.auth);
    expect(retired.status).toBe(200);
    expect(retired.body.retired).toBe(true);
    const member = await approvedMember(t, admin, societyId);
    expectProblem(await subscribe(t, member, member.userId, plan.id), 422, 'plan-retired');
  });
});

describe('subscribe and pay', () => {
  it('is not active until its payment completes; the default gateway completes a matching payment at once', async () => {
    const member = await approvedMember(t, admin, societyId);
    const plan = await createPlan(t, admin, societyId, { price: '1200' });
    const subscribed = await subscribe(t, member, member.userId, plan.id);
    expect(subscribed.status).toBe(201);
    expect(subscribed.body).toMatchObject({
      id: member.userId,
      subscription_id: plan.id,
      subscription_status: 'awaiting_payment',
      amount_due: 1200,
    });
    expect(await isActiveNow(member.userId)).toBe(false);

    const paid = await pay(t, member, {
      member_id: member.userId,
      subscription_id: plan.id,
      amount: '1200.00',
    });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      payment_status: 'completed',
      amount: 1200,
      invoice_number: 'INV-000001',
    });
    expect(await isActiveNow(member.userId)).toBe(true);

    const mine = await request(t.app)
      .get(`/api/v1/members/${member.userId}/subscriptions`)
      .set(...member.auth);
    expect(mine.body).toEqual([expect.objectContaining({ status: 'paid', active: true })]);
  });

  it('refuses an amount that is not the plan price, and writes nothing', async () => {
    const member = await approvedMember(t, admin, societyId);
    const plan = await createPlan(t, admin, societyId, { price: '500.00' });
    await subscribe(t, member, member.userId, plan.id);
    const before = await t.eventCount();
    const res = await pay(t, member, {
      member_id: member.userId,
      subscription_id: plan.id,
      amount: '499.99',
    });
    expectProblem(res, 422, 'amount-mismatch');
    expect(await t.eventCount()).toBe(before);
    expect(await isActiveNow(member.userId)).toBe(false);
  });

  it('a plan’s new price applies to new subscribers; one who subscribed before pays the old price', async () => {
    const early = await approvedMember(t, admin, societyId);
    const plan = await createPlan(t, admin, societyId, { price: '100.00' });
    await subscribe(t, early, early.userId, plan.id);
    const changed = await request(t.app)
      .patch(`/api/v1/subscriptions/${plan.id}`)
      .set(...admin.auth)
      .send({ price: '150' });
    expect(changed.body.price).toBe(150);
    const late = await approvedMember(t, admin, societyId);
    expect((await subscribe(t, late, late.userId, plan.id)).body.amount_due).toBe(150);
    expectProblem(
      await pay(t, early, { member_id: early.userId, subscription_id: plan.id, amount: '150.00' }),
      422,
      'amount-mismatch',
    );
    expect(
      (await pay(t, early, { member_id: early.userId, subscription_id: plan.id, amount: '100' })).body
        .payment_status,
    ).toBe('completed');
    expect(
      (await pay(t, late, { member_id: late.userId, subscription_id: plan.id, amount: '150' })).body
        .payment_status,
    ).toBe('completed');
  });

  it('a failed payment leaves the member inactive and free to pay again', async () => {
    const member = await approvedMember(t, admin, societyId);
    const plan = await createPlan(t, admin, societyId);
    await subscribe(t, member, member.userId, plan.id);
    const failed = await pay(t, member, {
      member_id: member.userId,
      subscription_id: plan.id,
      amount: plan.price,
      transaction_id: `txn_fail_${Date.now()}`,
    });
    expectProblem(failed, 400, 'payment-failed');
    expect(failed.body).toMatchObject({ payment_status: 'failed', failure_reason: 'card_declined' });
    expect(await isActiveNow(member.userId)).toBe(false);
    const retry = await pay(t, member, {
      member_id: member.userId,
      subscription_id: plan.id,
      amount: plan.price,
    });
    expect(retry.body.payment_status).toBe('completed');
    expect(await isActiveNow(member.userId)).toBe(true);
  });

  it('a repeated transaction_id answers with the first payment and pays nothing twice', async () => {
    const member = await approvedMember(t, admin, societyId);
    const plan = await createPlan(t, admin, societyId);
    await subscribe(t, member, member.userId, plan.id);
    const body = {
      member_id: member.userId,
      subscription_id: plan.id,
      amount: plan.price,
      transaction_id: `txn_${Date.now()}`,
    };
    const [a, b] = await Promise.all([pay(t, member, body), pay(t, admin, body)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.id).toBe(b.body.id);
    const history = await request(t.app)
      .get(`/api/v1/payments/${member.userId}`)
      .set(...member.auth);
    expect(history.body).toHaveLength(1);
    const stranger = await approvedMember(t, admin, societyId);
    await subscribe(t, stranger, stranger.userId, plan.id);
    expectProblem(
      await pay(t, stranger, { ...body, member_id: stranger.userId }),
      409,
      'transaction-id-taken',
    );
  });

  it('a retried request with the same Idempotency-Key answers with the same payment and writes nothing more', async () => {
    const member = await approvedMember(t, admin, societyId);
    const plan = await createPlan(t, admin, societyId);
    await subscribe(t, member, member.userId, plan.id);
    const send = (transactionId: string) =>
      request(t.app)
        .post('/api/v1/payments')
        .set(...member.auth)
        .set('Idempotency-Key', `pay-${member.userId}`)
        .send({
          member_id: member.userId,
          subscription_id: plan.id,
          amount: plan.price,
          transaction_id: transactionId,
        });
    const first = await send(`txn_a_${Date.now()}`);
    expect(first.status).toBe(200);
    const before = await t.eventCount();
    const retry = await send(first.body.transaction_id);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: first.body.id, payment_status: 'completed' });
    expect(await t.eventCount()).toBe(before);
  });

  it('holds one active subscription: another plan needs change_plan; the same plan renews from the current end', async () => {
    const member = await approvedMember(t, admin, societyId);
    const other = await createPlan(t, admin, societyId, { price: '50.00' });
    await giveActiveSubscription(t, { adminToken: admin.token, memberId: member.userId, societyId });
    expectProblem(await subscribe(t, member, member.userId, other.id), 409, 'active-subscription-exists');

    const renewal = await subscribe(t, member, member.userId, await currentPlanId(member));
    expect(renewal.status).toBe(201);
    await pay(t, member, {
      member_id: member.userId,
      subscription_id: renewal.body.subscription_id,
      amount: renewal.body.amount_due,
    });
    const subs = (
      await request(t.app)
        .get(`/api/v1/members/${member.userId}/subscriptions`)
        .set(...member.auth)
    ).body as {
      ends_at: string;
      starts_at: string;
      renewal_of: string | null;
      active: boolean;
    }[];
    expect(subs).toHaveLength(2);
    expect(subs[1]!.renewal_of).toBe((subs[0] as unknown as { id: string }).id);
    expect(subs[1]!.starts_at).toBe(subs[0]!.ends_at);
    expect(subs.map((s) => s.active)).toEqual([true, false]);

    const change = await subscribe(t, member, member.userId, other.id, { change_plan: true });
    expect(change.status).toBe(201);
  });

  it('only the member or an admin of their society may subscribe or pay for them', async () => {
    const member = await approvedMember(t, admin, societyId);
    const someone = await approvedMember(t, admin, societyId);
    const plan = await createPlan(t, admin, societyId);
    expectProblem(await subscribe(t, someone, member.userId, plan.id), 404, 'member-not-found');
    expectProblem(await subscribe(t, otherAdmin, member.userId, plan.id), 404, 'member-not-found');
    await subscribe(t, member, member.userId, plan.id);
    expectProblem(
      await pay(t, member, {
        member_id: member.userId,
        subscription_id: plan.id,
        amount: plan.price,
        method: 'cash',
      }),
      403,
      'forbidden',
    );
    const cash = await pay(t, admin, {
      member_id: member.userId,
      subscription_id: plan.id,
      amount: plan.price,
      method: 'cash',
    });
    expect(cash.body).toMatchObject({ payment_status: 'completed', method: 'cash' });
  });
});

const currentPlanId = async (member: Actor) => {
  const res = await request(t.app)
    .get(`/api/v1/members/${member.userId}/subscriptions`)
    .set(...member.auth);
  return (res.body as { plan_id: string }[])[0]!.plan_id;
};
