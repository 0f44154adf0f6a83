import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { registerSociety, signUp, type Actor } from '../../support/actors';
import { simulatedWebhook } from '../../../src/commands/billing/gateway/simulatedGateway';
import { TEST_WEBHOOK_SECRET, type TestApp } from '../../support/testApp';

/** A society in a named time zone, with its admin. */
export const societyIn = async (t: TestApp, timezone: string) => {
  const admin = await signUp(t, 'society_admin');
  return { admin, societyId: await registerSociety(t, admin, { location: 'Sector 62, Noida', timezone }) };
};

/** A member who signed up to the society and was approved by its admin. */
export const approvedMember = async (t: TestApp, admin: Actor, societyId: string): Promise<Actor> => {
  const member = await signUp(t, 'member', { society_id: societyId });
  const res = await request(t.app)
    .post(`/api/v1/members/${member.userId}/status`)
    .set(...admin.auth)
    .send({ status: 'approved' });
  if (res.status !== 200) throw new Error(`approve failed: ${res.status} ${JSON.stringify(res.body)}`);
  return member;
};

export const createPlan = async (
  t: TestApp,
  admin: Actor,
  societyId: string | null,
  overrides: Record<string, unknown> = {},
) => {
  const res = await request(t.app)
    .post('/api/v1/subscriptions')
    .set(...admin.auth)
    .send({
      society_id: societyId,
      name: `Plan ${randomUUID().slice(0, 8)}`,
      price: '1200.00',
      currency: 'INR',
      duration_in_days: 30,
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`plan failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; price: number; name: string };
};

export const subscribe = (t: TestApp, by: Actor, memberId: string, planId: string, extra: object = {}) =>
  request(t.app)
    .post(`/api/v1/members/${memberId}/subscribe`)
    .set(...by.auth)
    .send({ subscription_id: planId, ...extra });

export const pay = (
  t: TestApp,
  by: Actor,
  body: {
    member_id: string;
    subscription_id: string;
    /** The spec sends a number; a decimal string is accepted too. */
    amount: string | number;
    transaction_id?: string;
    method?: string;
  },
) =>
  request(t.app)
    .post('/api/v1/payments')
    .set(...by.auth)
    .send({ transaction_id: `txn_${randomUUID()}`, ...body });

export const expectProblem = (res: request.Response, status: number, type: string) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`${type}$`)) });
  expect(res.status).toBe(status);
};

/** The gateway's signed webhook telling the outcome of a payment, delivered as the gateway would. */
export const settlePayment = (
  t: TestApp,
  transactionId: string,
  outcome: 'payment.succeeded' | 'payment.failed',
  at = new Date(),
) => {
  const delivery = simulatedWebhook(TEST_WEBHOOK_SECRET, { transactionId, outcome }, at);
  return request(t.app)
    .post('/api/v1/payments/webhook')
    .set('Content-Type', 'application/json')
    .set('Arcfit-Signature', delivery.signature)
    .send(delivery.body);
};

/** A 07:00–08:00 yoga class on a society-local date, scheduled by the society's admin. */
export const yogaClassOn = async (t: TestApp, admin: Actor, societyId: string, date: string) => {
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
  if (res.status !== 201) throw new Error(`class not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
};

/** The member books a class for themself. */
export const bookClass = (t: TestApp, member: Actor, eventId: string) =>
  request(t.app)
    .post('/api/v1/bookings')
    .set(...member.auth)
    .send({ event_id: eventId });
