import { lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { describeAddress } from './publicAddress';
import { isForbiddenAddress, type WebhookTargetPolicy } from './webhookTargetPolicy';

/**
 * The connection's own DNS answer is checked, not an earlier one: a host that resolves to a
 * public address when registered and to 127.0.0.1 at delivery (DNS rebinding) is refused here.
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const list = addresses as unknown as { address: string; family: number }[];
    const bad = list.find((a) => isForbiddenAddress(a.address));
    if (bad) return callback(refusedAddress(hostname, bad.address), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

const refusedAddress = (host: string, address: string) =>
  new Error(`${host} resolves to a private or local address (${describeAddress(address)})`);

/**
 * Delivery connects only through these agents: every connection they open resolves its host
 * with guardedLookup, so the address connected to is the address checked. (keepAlive is off:
 * each delivery opens, and checks, a connection of its own.)
 */
const guardedAgents = {
  'http:': new http.Agent({ lookup: guardedLookup }),
  'https:': new https.Agent({ lookup: guardedLookup }),
};

/** An address written into the URL is connected to without any lookup: it is checked here instead. */
const refusedLiteral = (target: URL): Error | undefined => {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) && isForbiddenAddress(host) ? refusedAddress(host, host) : undefined;
};

/** POSTs one delivery; resolves with the receiver's status code, rejects when it could not be reached. */
export const postWebhook = (
  url: string,
  body: string,
  headers: Record<string, string>,
  policy: WebhookTargetPolicy,
  timeoutMs = 10_000,
): Promise<number> =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const refused = policy.allowInsecureLocal ? undefined : refusedLiteral(target);
    if (refused) return reject(refused);
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        agent: policy.allowInsecureLocal ? undefined : guardedAgents[target.protocol as 'http:' | 'https:'],
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
