import request from 'supertest';
import { adminWithSociety, signUp } from '../support/actors';
import { giveActiveSubscription } from '../support/subscriptions';
import { startTestApp, type TestApp } from '../support/testApp';

/** GET /members/{id} shows the plan a member subscribed to and paid for, as the spec shows it. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

it('shows the paid plan as subscription_id and subscription {id, name, price}', async () => {
  const { admin, societyId } = await adminWithSociety(t);
  const member = await signUp(t, 'member', { society_id: societyId });
  const read = () =>
    request(t.app)
      .get(`/api/v1/members/${member.userId}`)
      .set(...member.auth);

  const before = await read();
  expect(before.body).toMatchObject({ subscription_id: null, subscription: null });

  const approved = await request(t.app)
    .post(`/api/v1/members/${member.userId}/status`)
    .set(...admin.auth)
    .send({ status: 'approved' });
  expect(approved.status).toBe(200);
  await giveActiveSubscription(t, { adminToken: admin.token, memberId: member.userId, societyId });
  const plan = await t.db.knex('subscription_plans').where({ society_id: societyId }).first();

  const after = await read();
  expect(after.status).toBe(200);
  expect(after.body).toMatchObject({
    subscription_id: plan.id,
    subscription: { id: plan.id, name: plan.name, price: 100 },
  });
});
