import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/testApp';
import {
  approvedMember,
  bookClass,
  createPlan,
  pay,
  settlePayment,
  societyIn,
  subscribe,
  yogaClassOn,
} from './billingActors';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

it('a member books only once their payment has completed; a full refund stops them booking again', async () => {
  const { admin, societyId } = await societyIn(t, 'Asia/Kolkata');
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId);
  const newClass = (date: string) => yogaClassOn(t, admin, societyId, date);
  const book = (eventId: string) => bookClass(t, member, eventId);

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

  const settled = await settlePayment(t, transactionId, 'payment.succeeded');
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
