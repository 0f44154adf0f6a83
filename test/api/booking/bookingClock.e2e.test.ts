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
} from '../billing/billingActors';

// A booking decides at the command handler's clock, like every other command: the subscription
// check reads the same "now" the append stamps on the booking, so a deployment (or a test) that
// moves the clock moves the whole decision.
let now = new Date();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
});
afterAll(async () => t.dispose());

it('checks the member’s subscription at the handler’s clock, not the wall clock', async () => {
  const { admin, societyId } = await societyIn(t, 'Asia/Kolkata');
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId); // 30 days
  await subscribe(t, member, member.userId, plan.id);
  const transactionId = `txn_clock_${Date.now()}`;
  const payment = await pay(t, member, {
    member_id: member.userId,
    subscription_id: plan.id,
    amount: plan.price,
    transaction_id: transactionId,
  });
  const settled = await settlePayment(t, transactionId, 'payment.succeeded', now);
  expect([payment.status, settled.status]).toEqual([200, 200]);

  // Within the 30 paid days: booked.
  expect((await bookClass(t, member, await yogaClassOn(t, admin, societyId, '2030-03-04'))).status).toBe(201);

  // The handler's clock moves past the paid days (the wall clock stays where it is): refused.
  now = new Date('2030-01-01T00:00:00Z');
  const late = await bookClass(t, member, await yogaClassOn(t, admin, societyId, '2030-03-05'));
  expect([late.status, late.body.type]).toEqual([422, expect.stringMatching(/subscription-required$/)]);
});
