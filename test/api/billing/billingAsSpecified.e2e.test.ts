import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { registerSociety, signUp, superAdmin, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';
import { approvedMember, createPlan, expectProblem, pay, societyIn, subscribe } from './billingActors';

/**
 * Billing as the functional spec documents it: the spec's bodies accepted from the roles it names,
 * its status codes, money as JSON numbers, bare arrays for collections, and refusals a person can
 * act on.
 */
let t: TestApp;
let admin: Actor;
let root: Actor;
let societyId: string;

beforeAll(async () => {
  t = await startTestApp();
  root = await superAdmin(t);
  ({ admin, societyId } = await societyIn(t, 'Asia/Kolkata'));
});
afterAll(async () => t.dispose());

const postPlan = (by: Actor, body: object) =>
  request(t.app)
    .post('/api/v1/subscriptions')
    .set(...by.auth)
    .send(body);

/** An approved member of the admin's society with a subscription awaiting payment on a new plan. */
const awaitingPayment = async (price = '100.00') => {
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId, { price });
  const subscribed = await subscribe(t, member, member.userId, plan.id);
  expect(subscribed.status).toBe(201);
  return { member, plan };
};

describe('creating a plan with the spec’s body (no society_id)', () => {
  it('from the admin of one society: a plan of that society', async () => {
    const res = await postPlan(admin, { name: 'Premium Plan', price: 100.0, duration_in_days: 30 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ society_id: societyId, name: 'Premium Plan', price: 100 });
  });

  it('from the admin of several societies: refused, naming the societies to choose from, nothing written', async () => {
    const owner = await signUp(t, 'society_admin');
    const first = await registerSociety(t, owner, { name: `North ${randomUUID()}` });
    const second = await registerSociety(t, owner, { name: `South ${randomUUID()}` });
    const before = await t.eventCount();
    const res = await postPlan(owner, { name: 'Premium Plan', price: 100.0, duration_in_days: 30 });
    expectProblem(res, 422, 'society-required');
    expect(res.body.detail).toMatch(/society_id/);
    expect(res.body.detail).toContain(first);
    expect(res.body.detail).toContain(second);
    expect(res.body.societies.map((s: { id: string }) => s.id).sort()).toEqual([first, second].sort());
    expect(await t.eventCount()).toBe(before);
  });

  it('from a super admin: a plan offered to every society, as before', async () => {
    const res = await postPlan(root, { name: `Everywhere ${randomUUID()}`, price: 10, duration_in_days: 7 });
    expect(res.status).toBe(201);
    expect(res.body.society_id).toBeNull();
  });
});

describe('paying with the spec’s body', () => {
  it('answers 200 OK with the completed payment, its money as JSON numbers', async () => {
    const { member, plan } = await awaitingPayment('99.99');
    const res = await pay(t, member, { member_id: member.userId, subscription_id: plan.id, amount: '99.99' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ payment_status: 'completed', amount: 99.99, refunded_amount: 0 });
  });

  it('answers a declined payment 400 "Payment failed" with why and what to do; the member may pay again', async () => {
    const { member, plan } = await awaitingPayment();
    const declined = await pay(t, member, {
      member_id: member.userId,
      subscription_id: plan.id,
      amount: '100.00',
      transaction_id: `txn_fail_${randomUUID()}`,
    });
    expectProblem(declined, 400, 'payment-failed');
    expect(declined.body.title).toBe('Payment failed');
    expect(declined.body.detail).toMatch(/card_declined/);
    expect(declined.body.detail).toMatch(/new transaction_id/);
    expect(declined.body).toMatchObject({ payment_id: expect.any(String), payment_status: 'failed' });
    const again = await pay(t, member, { member_id: member.userId, subscription_id: plan.id, amount: 100 });
    expect(again.status).toBe(200);
    expect(again.body.payment_status).toBe('completed');
  });

  it('refuses a wrong amount naming the plan’s price and currency', async () => {
    const { member, plan } = await awaitingPayment('1200.00');
    const res = await pay(t, member, { member_id: member.userId, subscription_id: plan.id, amount: '12.00' });
    expectProblem(res, 422, 'amount-mismatch');
    expect(res.body.detail).toMatch(/1200\.00 INR/);
    expect(res.body.detail).toMatch(/12\.00/);
  });

  it('refuses another member’s transaction id with what to do about it', async () => {
    const { member, plan } = await awaitingPayment();
    const transactionId = `txn_${randomUUID()}`;
    const first = await pay(t, member, {
      member_id: member.userId,
      subscription_id: plan.id,
      amount: '100.00',
      transaction_id: transactionId,
    });
    expect(first.status).toBe(200);
    const other = await awaitingPayment();
    const res = await pay(t, other.member, {
      member_id: other.member.userId,
      subscription_id: other.plan.id,
      amount: '100.00',
      transaction_id: transactionId,
    });
    expectProblem(res, 409, 'transaction-id-taken');
    expect(res.body.detail).toMatch(/transaction_id/);
  });
});

describe('collections and money in answers', () => {
  it('a member’s payment history is a bare array, paged by the Link header', async () => {
    const { member, plan } = await awaitingPayment();
    await pay(t, member, {
      member_id: member.userId,
      subscription_id: plan.id,
      amount: '100.00',
      transaction_id: `txn_fail_${randomUUID()}`,
    });
    await pay(t, member, { member_id: member.userId, subscription_id: plan.id, amount: '100.00' });
    const page = await request(t.app)
      .get(`/api/v1/payments/${member.userId}?limit=1`)
      .set(...member.auth);
    expect(page.status).toBe(200);
    expect(page.body).toEqual([expect.objectContaining({ payment_status: 'completed', amount: 100 })]);
    const next = await request(t.app)
      .get(page.headers.link!.match(/<([^>]+)>/)![1]!)
      .set(...member.auth);
    expect(next.body).toEqual([expect.objectContaining({ payment_status: 'failed', amount: 100 })]);
    expect(next.headers.link).toBeUndefined();
  });

  it('plans and a member’s subscriptions are bare arrays with prices as numbers', async () => {
    const { member, plan } = await awaitingPayment('250.50');
    const plans = await request(t.app)
      .get('/api/v1/subscriptions')
      .set(...member.auth);
    expect(plans.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: plan.id, price: 250.5 })]),
    );
    const mine = await request(t.app)
      .get(`/api/v1/members/${member.userId}/subscriptions`)
      .set(...member.auth);
    expect(mine.body).toEqual([expect.objectContaining({ plan_id: plan.id, price: 250.5 })]);
  });

  it('a refund answers its amounts as numbers; refunding again says what is left to do', async () => {
    const { member, plan } = await awaitingPayment('80.00');
    const paid = await pay(t, member, { member_id: member.userId, subscription_id: plan.id, amount: 80 });
    const refund = (body: object) =>
      request(t.app)
        .post(`/api/v1/payments/${paid.body.id}/refund`)
        .set(...admin.auth)
        .send(body);
    const part = await refund({ reason: 'Goodwill', amount: '30.00' });
    expect(part.body).toMatchObject({ refund_amount: 30, refunded_total: 30 });
    const rest = await refund({ reason: 'Subscription canceled' });
    expect(rest.body).toMatchObject({ status: 'refunded', refund_amount: 50, refunded_total: 80 });
    const again = await refund({ reason: 'Twice' });
    expectProblem(again, 422, 'payment-fully-refunded');
    expect(again.body.detail).toMatch(/80\.00/);
  });
});
