import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { describeAddress, isPublicAddress } from './publicAddress';

/** Addresses a webhook may never reach: anything but public unicast (this host, private networks, link-local cloud metadata, and their IPv6 spellings). */
export const isForbiddenAddress = (address: string): boolean => !isPublicAddress(address);

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
  return bad ? `${host} resolves to a private or local address (${describeAddress(bad)})` : undefined;
};
