import request from 'supertest';
import { subscriptionEligibility } from '../../../src/commands/billing/subscriptionEligibility';
import { signPayload } from '../../../src/commands/billing/gateway/webhookSignature';
import { simulatedWebhook } from '../../../src/commands/billing/gateway/simulatedGateway';
import type { Actor } from '../../support/actors';
import { startTestApp, TEST_WEBHOOK_SECRET, type TestApp } from '../../support/testApp';
import { approvedMember, createPlan, expectProblem, pay, societyIn, subscribe } from './billingActors';

let t: TestApp;
let admin: Actor;
let societyId: string;

beforeAll(async () => {
  t = await startTestApp();
  ({ admin, societyId } = await societyIn(t, 'Asia/Kolkata'));
});
afterAll(async () => t.dispose());

const deliver = (body: string, signature: string) =>
  request(t.app)
    .post('/api/v1/payments/webhook')
    .set('Content-Type', 'application/json')
    .set('Arcfit-Signature', signature)
    .send(body);

/** A member whose payment the simulated gateway leaves pending until its webhook arrives. */
const pendingPayment = async () => {
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId);
  await subscribe(t, member, member.userId, plan.id);
  const transactionId = `txn_pending_${Date.now()}_${Math.random()}`;
  const res = await pay(t, member, {
    member_id: member.userId,
    subscription_id: plan.id,
    amount: plan.price,
    transaction_id: transactionId,
  });
  expect(res.body.payment_status).toBe('pending');
  return { member, plan, transactionId, paymentId: res.body.id as string };
};

/** The member's latest payment, once the read side has reached `position` (a webhook's answer carries it). */
const paymentOf = async (member: Actor, position?: string) =>
  (
    await request(t.app)
      .get(`/api/v1/payments/${member.userId}`)
      .query(position ? { min_position: position } : {})
      .set(...member.auth)
  ).body[0];

const isActiveNow = (memberId: string) =>
  subscriptionEligibility(t.commands).isActiveAt(memberId, new Date());

it('a signed "succeeded" delivery completes a pending payment and activates the subscription', async () => {
  const { member, transactionId } = await pendingPayment();
  expect(await isActiveNow(member.userId)).toBe(false);
  const delivery = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.succeeded' },
    new Date(),
  );
  const res = await deliver(delivery.body, delivery.signature);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ received: true, duplicate: false });
  expect(await isActiveNow(member.userId)).toBe(true);
  expect(await paymentOf(member, res.headers['arcfit-position'])).toMatchObject({
    payment_status: 'completed',
  });
});

it('refuses a bad signature, and writes nothing', async () => {
  const { member, transactionId } = await pendingPayment();
  const delivery = simulatedWebhook(
    'whsec_someone_else',
    { transactionId, outcome: 'payment.succeeded' },
    new Date(),
  );
  const before = await t.eventCount();
  expectProblem(await deliver(delivery.body, delivery.signature), 401, 'webhook-signature-invalid');
  // The right secret over a body that was changed in transit:
  const honest = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.failed' },
    new Date(),
  );
  const tampered = honest.body.replace('payment.failed', 'payment.succeeded');
  expectProblem(await deliver(tampered, honest.signature), 401, 'webhook-signature-invalid');
  expectProblem(await deliver(honest.body, 'v1=nonsense'), 401, 'webhook-signature-invalid');
  expect(await t.eventCount()).toBe(before);
  expect((await paymentOf(member)).payment_status).toBe('pending');
});

it('refuses a stale timestamp even when correctly signed, and writes nothing', async () => {
  const { member, transactionId } = await pendingPayment();
  const tenMinutesAgo = new Date(Date.now() - 600_000);
  const delivery = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.succeeded' },
    tenMinutesAgo,
  );
  const before = await t.eventCount();
  expectProblem(await deliver(delivery.body, delivery.signature), 401, 'webhook-timestamp-stale');
  expect(await t.eventCount()).toBe(before);
  expect(await isActiveNow(member.userId)).toBe(false);
});

it('absorbs a replayed delivery: acknowledged, nothing written twice', async () => {
  const { member, transactionId } = await pendingPayment();
  const delivery = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.succeeded' },
    new Date(),
  );
  const first = await deliver(delivery.body, delivery.signature);
  expect(first.body.duplicate).toBe(false);
  const after = await t.eventCount();
  const replays = await Promise.all([1, 2, 3].map(() => deliver(delivery.body, delivery.signature)));
  expect(replays.map((r) => [r.status, r.body.duplicate])).toEqual([
    [200, true],
    [200, true],
    [200, true],
  ]);
  expect(await t.eventCount()).toBe(after);
  expect((await paymentOf(member, first.headers['arcfit-position'])).invoice_number).toMatch(/^INV-\d{6}$/);
});

it('absorbs concurrent first deliveries of the same notice: one settlement, one invoice', async () => {
  const { transactionId, paymentId } = await pendingPayment();
  const delivery = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.succeeded' },
    new Date(),
  );
  const other = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.succeeded' },
    new Date(),
  );
  const results = await Promise.all([
    deliver(delivery.body, delivery.signature),
    deliver(delivery.body, delivery.signature),
    deliver(other.body, other.signature),
  ]);
  expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
  const events = (await t.store.readStream(`payment-${paymentId}`)).map((e) => e.type);
  expect(events).toEqual(['PaymentInitiated', 'PaymentCompleted', 'InvoiceIssued']);
});

it('a duplicate transaction_id is absorbed: the provider’s retry with the same id answers with the first payment', async () => {
  const { member, plan, transactionId, paymentId } = await pendingPayment();
  const before = await t.eventCount();
  const again = await pay(t, member, {
    member_id: member.userId,
    subscription_id: plan.id,
    amount: plan.price,
    transaction_id: transactionId,
  });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ id: paymentId, payment_status: 'pending' });
  expect(await t.eventCount()).toBe(before);
});

it('a failure notice fails the payment; a later contradicting success is absorbed and changes nothing', async () => {
  const { member, transactionId } = await pendingPayment();
  const failed = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.failed', reason: 'insufficient_funds' },
    new Date(),
  );
  const first = await deliver(failed.body, failed.signature);
  expect(first.status).toBe(200);
  expect((await paymentOf(member, first.headers['arcfit-position'])).payment_status).toBe('failed');
  const before = await t.eventCount();
  const late = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.succeeded' },
    new Date(),
  );
  expect((await deliver(late.body, late.signature)).status).toBe(200);
  // Only the delivery id is recorded (so its own replays are recognised); the payment is untouched.
  expect(await t.eventCount()).toBe(before + 1);
  expect(await isActiveNow(member.userId)).toBe(false);
});

it('answers 404 for a transaction it does not know, so the provider retries later', async () => {
  const body = JSON.stringify({
    id: 'evt_unknown',
    type: 'payment.succeeded',
    data: { transaction_id: 'txn_nobody' },
  });
  const res = await deliver(body, signPayload(TEST_WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)));
  expectProblem(res, 404, 'payment-not-found');
});

it('refuses a delivery without a signature header as an invalid signature (401), and writes nothing', async () => {
  const { member, transactionId } = await pendingPayment();
  const delivery = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.succeeded' },
    new Date(),
  );
  const before = await t.eventCount();
  const res = await request(t.app)
    .post('/api/v1/payments/webhook')
    .set('Content-Type', 'application/json')
    .send(delivery.body);
  expectProblem(res, 401, 'webhook-signature-invalid');
  expect(res.body.detail).toMatch(/Arcfit-Signature/);
  expect(await t.eventCount()).toBe(before);
  expect((await paymentOf(member)).payment_status).toBe('pending');
});

it('answers a signed delivery missing what a notice carries with the fields at fault, as any validation error', async () => {
  const body = JSON.stringify({ id: 'evt_incomplete', type: 'payment.succeeded', data: {} });
  const res = await deliver(body, signPayload(TEST_WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)));
  expectProblem(res, 400, 'validation-error');
  expect(res.body.detail).toMatch(/body\.data\.transaction_id/);
  expect(res.body.errors).toEqual([
    expect.objectContaining({ in: 'body', path: 'data.transaction_id', message: expect.any(String) }),
  ]);
});
