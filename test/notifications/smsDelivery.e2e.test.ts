import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { httpSmsChannel } from '../../src/commands/notifications/channels/smsChannels';
import { smtpEmailChannel } from '../../src/commands/notifications/channels/smtpEmailChannel';
import { NotificationDispatcher } from '../../src/commands/notifications/dispatcher';
import { messageIdFor } from '../../src/events/notifications/notificationIds';
import { signUp } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

const logger = pino({ level: 'silent' });

/** A stand-in SMS provider over real HTTP: records requests, answers 503 while told to. */
const startSmsProvider = async () => {
  const received: { headers: IncomingMessage['headers']; body: { to: string; body: string } }[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: req.headers, body: JSON.parse(raw) });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/messages`,
    received,
    failNext: (n: number) => (failures = n),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

let t: TestApp;
let provider: Awaited<ReturnType<typeof startSmsProvider>>;
let offsetMs = 0;

beforeAll(async () => {
  t = await startTestApp();
  provider = await startSmsProvider();
});
afterAll(async () => {
  await provider.close();
  await t.dispose();
});

const dispatcher = () =>
  new NotificationDispatcher(
    t.db.knex,
    {
      email: smtpEmailChannel({ from: 'ArcFit <no-reply@arcfit.app>', logger }),
      sms: httpSmsChannel({ url: provider.url, token: 'provider-token' }),
    },
    logger,
    { retryBaseMs: 60_000, clock: () => new Date(Date.now() + offsetMs) },
  );

describe('SMS through the provider port', () => {
  it('sends a phone verification code by SMS, retrying a provider outage, with a stable idempotency key', async () => {
    const user = await signUp(t, 'society_admin');
    const me = await request(t.app)
      .get('/api/v1/auth/me')
      .set(...user.auth);
    expect(
      (
        await request(t.app)
          .post('/api/v1/auth/otp/request')
          .set(...user.auth)
      ).status,
    ).toBe(202);

    provider.failNext(1);
    await dispatcher().dispatchDue();
    expect(provider.received).toHaveLength(0);
    offsetMs += 60_000;
    await dispatcher().dispatchDue();

    expect(provider.received).toHaveLength(1);
    const [sms] = provider.received;
    expect(sms!.body.to).toBe(me.body.phone_number);
    expect(sms!.body.body).toMatch(/Your ArcFit verification code is \d{6}/);
    expect(sms!.headers.authorization).toBe('Bearer provider-token');
    const notice = await t.db
      .knex('notifications')
      .where({ notification_type: 'phone_verification' })
      .first();
    expect(sms!.headers['idempotency-key']).toBe(messageIdFor(notice.id, 'sms'));
    expect(notice.status).toBe('sent');
    const delivery = await t.db.knex('notification_deliveries').where({ notification_id: notice.id });
    expect(delivery).toEqual([expect.objectContaining({ channel: 'sms', status: 'sent', attempts: 2 })]);

    // A code is a secret: never listed, not even to its owner.
    const listed = await request(t.app)
      .get(`/api/v1/notifications/${notice.id}`)
      .set(...user.auth);
    expect(listed.status).toBe(404);
  });
});
