import request from 'supertest';
import { simulatedWebhook } from '../../../src/commands/billing/gateway/simulatedGateway';
import { startTestApp, TEST_WEBHOOK_SECRET, type TestApp } from '../../support/testApp';
import { approvedMember, createPlan, pay, societyIn, subscribe } from './billingActors';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

it('a member books only once their payment has completed; a full refund stops them booking again', async () => {
  const { admin, societyId } = await societyIn(t, 'Asia/Kolkata');
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId);
  const newClass = async (date: string) => {
    const res = await request(t.app)
      .post('/api/v1/events')
      .set(...admin.auth)
      .send({
        name: 'Yoga',
        society_id: societyId,
        class_type: 'yoga',
        date,
        start_time: '07:00',
        end_time: '08:00',
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const book = (eventId: string) =>
    request(t.app)
      .post('/api/v1/bookings')
      .set(...member.auth)
      .send({ event_id: eventId });

  const first = await newClass('2030-03-04');
  await subscribe(t, member, member.userId, plan.id);
  const transactionId = `txn_pending_${Date.now()}`;
  const pending = await pay(t, member, {
    member_id: member.userId,
    subscription_id: plan.id,
    amount: plan.price,
    transaction_id: transactionId,
  });
  expect(pending.body.payment_status).toBe('pending');
  const refused = await book(first);
  expect([refused.status, refused.body.type]).toEqual([422, expect.stringMatching(/subscription-required$/)]);

  const delivery = simulatedWebhook(
    TEST_WEBHOOK_SECRET,
    { transactionId, outcome: 'payment.succeeded' },
    new Date(),
  );
  const settled = await request(t.app)
    .post('/api/v1/payments/webhook')
    .set('Content-Type', 'application/json')
    .set('Arcfit-Signature', delivery.signature)
    .send(delivery.body);
  expect(settled.status).toBe(200);
  expect((await book(first)).status).toBe(201);

  const refunded = await request(t.app)
    .post(`/api/v1/payments/${pending.body.id}/refund`)
    .set(...admin.auth)
    .send({ reason: 'moving away' });
  expect(refunded.status).toBe(200);
  const afterRefund = await book(await newClass('2030-03-12'));
  expect([afterRefund.status, afterRefund.body.type]).toEqual([
    422,
    expect.stringMatching(/subscription-required$/),
  ]);
});
