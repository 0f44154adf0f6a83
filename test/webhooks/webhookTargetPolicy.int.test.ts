import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook } from '../../src/commands/webhooks/postWebhook';
import { refuseWebhookTarget } from '../../src/commands/webhooks/webhookTargetPolicy';
import { signWebhook, verifyWebhookSignature } from '../../src/commands/webhooks/webhookSignature';

const publicDns = async () => ['93.184.216.34'];

describe('which URLs may receive webhooks (SSRF)', () => {
  it.each([
    ['http://hooks.example.com/x', /only https/],
    ['https://127.0.0.1/x', /private or local/],
    ['https://10.1.2.3/x', /private or local/],
    ['https://192.168.1.10/x', /private or local/],
    ['https://169.254.169.254/latest/meta-data', /private or local/],
    ['https://[::1]/x', /private or local/],
    ['https://[fd00::1]/x', /private or local/],
    ['https://[::ffff:127.0.0.1]/x', /private or local/],
    ['https://user:pw@hooks.example.com/x', /credentials/],
  ])('refuses %s', async (url, reason) => {
    expect(await refuseWebhookTarget(url, {}, publicDns)).toMatch(reason);
  });

  it('refuses a name that resolves to a private address, even among public ones', async () => {
    expect(
      await refuseWebhookTarget('https://sneaky.example.com/x', {}, async () => [
        '93.184.216.34',
        '10.0.0.5',
      ]),
    ).toMatch(/private or local address \(10\.0\.0\.5\)/);
  });

  it('accepts HTTPS to a public address', async () => {
    expect(await refuseWebhookTarget('https://hooks.example.com/arcfit', {}, publicDns)).toBeUndefined();
  });

  it('refuses at connect time a host that resolves locally (DNS rebinding after the check)', async () => {
    const server = createServer((_req, res) => res.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(postWebhook(`http://localhost:${port}/`, '{}', {}, {})).rejects.toThrow(
        /private or local/,
      );
      expect(await postWebhook(`http://localhost:${port}/`, '{}', {}, { allowInsecureLocal: true })).toBe(
        200,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('webhook signatures', () => {
  it('verify with the secret, and not with another secret or an altered body', () => {
    const header = signWebhook('s3cret', '{"a":1}', new Date('2026-03-01T10:00:00Z'));
    expect(header).toMatch(/^t=1772359200,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s3cret', '{"a":1}', header)).toBe(true);
    expect(verifyWebhookSignature('other', '{"a":1}', header)).toBe(false);
    expect(verifyWebhookSignature('s3cret', '{"a":2}', header)).toBe(false);
  });
});
