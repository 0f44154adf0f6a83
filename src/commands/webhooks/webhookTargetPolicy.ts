import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses a webhook may never reach: this host, private networks, link-local (cloud metadata), and the like. */
const forbidden = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  forbidden.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  forbidden.addSubnet(net, bits, 'ipv6');
}

export const isForbiddenAddress = (address: string): boolean => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return forbidden.check(mapped, 'ipv4');
  return forbidden.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
};

export interface WebhookTargetPolicy {
  /** Tests only: let http:// and loopback through, to reach a receiver started in the test. */
  readonly allowInsecureLocal?: boolean;
}

/**
 * Why a URL may not receive webhooks, or undefined when it may: HTTPS only, and every address
 * its host resolves to must be public (SSRF). Checked when the webhook is registered and again
 * before each delivery, since DNS can change in between.
 */
export const refuseWebhookTarget = async (
  raw: string,
  policy: WebhookTargetPolicy = {},
  resolve: (host: string) => Promise<string[]> = async (host) =>
    (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
): Promise<string | undefined> => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'credentials in the URL are not allowed';
  if (policy.allowInsecureLocal) return undefined;
  if (url.protocol !== 'https:') return 'only https:// endpoints receive webhooks';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return `${host} does not resolve`;
  }
  if (!addresses.length) return `${host} does not resolve`;
  const bad = addresses.find(isForbiddenAddress);
  return bad ? `${host} resolves to a private or local address (${bad})` : undefined;
};
