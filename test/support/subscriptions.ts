import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from './testApp';

/** One plan per society per test app, created on first use. */
const plans = new WeakMap<TestApp, Map<string, string>>();

const planFor = async (app: TestApp, adminToken: string, societyId: string): Promise<string> => {
  const known = plans.get(app) ?? new Map<string, string>();
  plans.set(app, known);
  const existing = known.get(societyId);
  if (existing) return existing;
  const res = await request(app.app)
    .post('/api/v1/subscriptions')
    .set('Authorization', `Bearer ${adminToken}`)
    .send({
      society_id: societyId,
      name: `Monthly ${randomUUID().slice(0, 8)}`,
      price: '100.00',
      currency: 'INR',
      duration_in_days: 30,
    });
  if (res.status !== 201) throw new Error(`plan failed: ${res.status} ${JSON.stringify(res.body)}`);
  known.set(societyId, res.body.id as string);
  return res.body.id as string;
};

/**
 * Makes an approved member eligible to book in one call, through the real HTTP flow: a plan for
 * the society (created once), `POST /members/{id}/subscribe`, then `POST /payments` (200 OK, as the
 * spec answers a processed payment), which the default (simulated) gateway completes at once.
 */
export const giveActiveSubscription = async (
  app: TestApp,
  opts: { adminToken: string; memberId: string; societyId: string },
): Promise<{ subscriptionId: string; paymentId: string }> => {
  const auth = ['Authorization', `Bearer ${opts.adminToken}`] as const;
  const planId = await planFor(app, opts.adminToken, opts.societyId);
  const subscribed = await request(app.app)
    .post(`/api/v1/members/${opts.memberId}/subscribe`)
    .set(...auth)
    .send({ subscription_id: planId });
  if (subscribed.status !== 201)
    throw new Error(`subscribe failed: ${subscribed.status} ${JSON.stringify(subscribed.body)}`);
  const paid = await request(app.app)
    .post('/api/v1/payments')
    .set(...auth)
    .send({
      member_id: opts.memberId,
      subscription_id: planId,
      amount: subscribed.body.amount_due,
      transaction_id: `txn_${randomUUID()}`,
    });
  if (paid.status !== 200 || paid.body.payment_status !== 'completed')
    throw new Error(`payment failed: ${paid.status} ${JSON.stringify(paid.body)}`);
  return {
    subscriptionId: subscribed.body.member_subscription_id as string,
    paymentId: paid.body.id as string,
  };
};
