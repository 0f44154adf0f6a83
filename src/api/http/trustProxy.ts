import express from 'express';

/**
 * Express's `trust proxy` setting as TRUST_PROXY gives it: `false` (the socket's address is the
 * client's), a hop count, or a comma-separated list of proxy addresses and CIDR ranges
 * (`loopback, 10.0.0.0/8`), which express hands to proxy-addr.
 */
export type TrustProxy = false | number | string;

/** Why a TRUST_PROXY value is refused, for the configuration error. */
export class TrustProxyError extends Error {}

/**
 * Reads TRUST_PROXY. `true` is refused: trusting every hop makes the leftmost X-Forwarded-For
 * entry the client's address, and a client writes that one itself, so it could pick a fresh
 * address per request and never meet a per-address limit. A list is compiled by express itself
 * (proxy-addr), so an address it would not understand is refused here, at start-up.
 */
export const parseTrustProxy = (raw: string | undefined): TrustProxy => {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true')
    throw new TrustProxyError(
      'true would let any client choose its address in X-Forwarded-For; give the number of proxies in front (e.g. 1) or their addresses (e.g. "loopback, 10.0.0.0/8")',
    );
  try {
    express().set('trust proxy', value);
  } catch (error) {
    throw new TrustProxyError(
      `${(error as Error).message}; expected a hop count or a comma-separated list of addresses, CIDR ranges or the names loopback, linklocal, uniquelocal`,
    );
  }
  return value;
};
