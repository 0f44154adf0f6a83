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
    // IPv6 spellings that reach loopback or private space: IPv4-compatible, IPv4-translated,
    // NAT64, 6to4 (each embeds 127.0.0.1) and the deprecated site-local range.
    ['https://[::127.0.0.1]/x', /private or local/],
    ['https://[::ffff:0:7f00:1]/x', /private or local/],
    ['https://[64:ff9b::7f00:1]/x', /private or local/],
    ['https://[2002:7f00:1::]/x', /private or local/],
    ['https://[fec0::1]/x', /private or local/],
    ['https://[64:ff9b::a00:5]/x', /private or local/],
    ['https://[2001:db8::1]/x', /private or local/],
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

  it.each([
    ['a public IPv6 address', 'https://[2606:4700:4700::1111]/x'],
    ['a public IPv4 address reached through NAT64', 'https://[64:ff9b::5db8:d822]/x'],
    ['a public IPv4 address written IPv4-mapped', 'https://[::ffff:93.184.216.34]/x'],
  ])('accepts %s', async (_label, url) => {
    expect(await refuseWebhookTarget(url, {}, publicDns)).toBeUndefined();
  });

  it('names the IPv4 address a refused IPv6 spelling reaches', async () => {
    expect(
      await refuseWebhookTarget('https://rebound.example.com/x', {}, async () => ['64:ff9b::7f00:1']),
    ).toMatch(/private or local address \(64:ff9b::7f00:1, which reaches 127\.0\.0\.1\)/);
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

  it('refuses at connect time an address literal in the URL, which no lookup sees', async () => {
    const server = createServer((_req, res) => res.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    let reached = false;
    server.on('request', () => (reached = true));
    try {
      await expect(postWebhook(`http://127.0.0.1:${port}/`, '{}', {}, {})).rejects.toThrow(
        /private or local/,
      );
      expect(reached).toBe(false);
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
