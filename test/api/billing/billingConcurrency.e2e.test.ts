import request from 'supertest';
import { subscriptionEligibility } from '../../../src/commands/billing/subscriptionEligibility';
import { streams } from '../../../src/events/streams';
import type { Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';
import { approvedMember, createPlan, pay, societyIn, subscribe } from './billingActors';

let t: TestApp;
let admin: Actor;
let societyId: string;

beforeAll(async () => {
  t = await startTestApp();
  ({ admin, societyId } = await societyIn(t, 'Asia/Kolkata'));
});
afterAll(async () => t.dispose());

it('two payments for one subscription at once: one completes, the other is refused, the member pays once', async () => {
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId);
  await subscribe(t, member, member.userId, plan.id);
  const body = { member_id: member.userId, subscription_id: plan.id, amount: plan.price };
  const results = await Promise.all([pay(t, member, body), pay(t, admin, body), pay(t, member, body)]);
  expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  const subs = await t.store.readStream(streams.memberSubscriptions(member.userId));
  expect(subs.filter((e) => e.type === 'SubscriptionActivated')).toHaveLength(1);
  expect(await subscriptionEligibility(t.commands).isActiveAt(member.userId, new Date())).toBe(true);
});

it('two subscribe requests at once: one subscription awaits payment, the other is refused', async () => {
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId);
  const results = await Promise.all([
    subscribe(t, member, member.userId, plan.id),
    subscribe(t, admin, member.userId, plan.id),
  ]);
  expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
});

it('invoice numbers stay gapless and unique when a society’s payments complete at the same time', async () => {
  const { admin: a, societyId: s } = await societyIn(t, 'Asia/Kolkata');
  const plan = await createPlan(t, a, s, { price: '10.00' });
  const members = await Promise.all(Array.from({ length: 8 }, () => approvedMember(t, a, s)));
  await Promise.all(members.map((m) => subscribe(t, m, m.userId, plan.id)));
  const paid = await Promise.all(
    members.map((m) => pay(t, m, { member_id: m.userId, subscription_id: plan.id, amount: '10' })),
  );
  const numbers = paid.map((r) => r.body.invoice_number as string).sort();
  expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`));
});

it('documents every billing route in the OpenAPI document', async () => {
  const doc = await request(t.app).get('/api/v1/openapi.json');
  expect(doc.status).toBe(200);
  for (const path of [
    '/api/v1/subscriptions',
    '/api/v1/payments',
    '/api/v1/payments/webhook',
    '/api/v1/payments/{id}/invoice',
    '/api/v1/societies/{id}/revenue',
  ])
    expect(Object.keys(doc.body.paths)).toContain(path);
});
