import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { WebhookDispatcher } from '../../src/commands/webhooks/webhookDispatcher';
import { verifyWebhookSignature } from '../../src/commands/webhooks/webhookSignature';
import { adminWithSociety, signUp, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

const logger = pino({ level: 'silent' });

/** A receiver over real HTTP: records what arrives, answers 500 while told to. */
const startReceiver = async () => {
  const received: { headers: IncomingHttpHeaders; raw: string }[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        res.writeHead(500).end();
        return;
      }
      received.push({ headers: req.headers, raw });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    failNext: (n: number) => (failures = n),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: Actor;
let otherAdmin: Actor;
let societyId: string;
let offsetMs = 0;
const webhooks = () =>
  new WebhookDispatcher(t.db.knex, logger, {
    policy: { allowInsecureLocal: true },
    retryBaseMs: 60_000,
    clock: () => new Date(Date.now() + offsetMs),
  });

beforeAll(async () => {
  t = await startTestApp({ webhookPolicy: { allowInsecureLocal: true } });
  receiver = await startReceiver();
  ({ admin, societyId } = await adminWithSociety(t));
  ({ admin: otherAdmin } = await adminWithSociety(t));
});
afterAll(async () => {
  await receiver.close();
  await t.dispose();
});

describe('outgoing webhooks', () => {
  it('delivers a subscribed fact, signed, retried after a failure, with its status visible', async () => {
    const created = await request(t.app)
      .post(`/api/v1/societies/${societyId}/webhooks`)
      .set(...admin.auth)
      .send({ url: receiver.url, event_types: ['member.approved'] });
    expect(created.status).toBe(201);
    const { id, secret } = created.body;
    expect(secret).toEqual(expect.any(String));

    const member = await signUp(t, 'member', { society_id: societyId });
    const approved = await request(t.app)
      .post(`/api/v1/members/${member.userId}/status`)
      .set(...admin.auth)
      .send({ status: 'approved' });
    expect(approved.status).toBe(200);
    // A fact nobody subscribed to goes nowhere.
    const cls = await request(t.app)
      .post('/api/v1/events')
      .set(...admin.auth)
      .send({
        name: 'Pilates',
        society_id: societyId,
        class_type: 'pilates',
        date: '2030-03-04',
        start_time: '09:00',
        end_time: '10:00',
      });
    expect(cls.status).toBe(201);

    receiver.failNext(1);
    expect(await webhooks().deliverDue()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    offsetMs += 60_000;
    expect(await webhooks().deliverDue()).toEqual({ delivered: 1, retrying: 0, failed: 0 });

    expect(receiver.received).toHaveLength(1);
    const [hit] = receiver.received;
    expect(hit!.headers['arcfit-event-type']).toBe('member.approved');
    expect(verifyWebhookSignature(secret, hit!.raw, String(hit!.headers['arcfit-signature']))).toBe(true);
    const payload = JSON.parse(hit!.raw);
    expect(payload).toMatchObject({
      type: 'member.approved',
      society_id: societyId,
      data: { memberId: member.userId },
    });

    const deliveries = await request(t.app)
      .get(`/api/v1/webhooks/${id}/deliveries`)
      .set(...admin.auth);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.deliveries).toEqual([
      expect.objectContaining({
        id: hit!.headers['arcfit-delivery-id'],
        event_type: 'member.approved',
        status: 'delivered',
        attempts: 2,
        last_status_code: 200,
      }),
    ]);
    const listed = await request(t.app)
      .get(`/api/v1/societies/${societyId}/webhooks`)
      .set(...admin.auth);
    expect(listed.body.webhooks).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);
  });

  it('belongs to the society’s admins: others are refused (403) or told it does not exist (404)', async () => {
    const created = await request(t.app)
      .post(`/api/v1/societies/${societyId}/webhooks`)
      .set(...admin.auth)
      .send({ url: receiver.url, event_types: ['class.canceled'] });
    const asOther = await request(t.app)
      .post(`/api/v1/societies/${societyId}/webhooks`)
      .set(...otherAdmin.auth)
      .send({ url: receiver.url, event_types: ['class.canceled'] });
    expect(asOther.status).toBe(403);
    const deliveries = await request(t.app)
      .get(`/api/v1/webhooks/${created.body.id}/deliveries`)
      .set(...otherAdmin.auth);
    expect(deliveries.status).toBe(404);
    const bad = await request(t.app)
      .post(`/api/v1/societies/${societyId}/webhooks`)
      .set(...admin.auth)
      .send({ url: receiver.url, event_types: ['everything'] });
    expect(bad.status).toBe(400);
    const stopped = await request(t.app)
      .delete(`/api/v1/webhooks/${created.body.id}`)
      .set(...admin.auth);
    expect(stopped.status).toBe(204);
  });
});
