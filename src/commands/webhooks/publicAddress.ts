import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Whether an IP address is ordinary public unicast, the only kind a webhook may reach. The
 * classification is ipaddr.js's (loopback, private, link-local, reserved, documentation, …);
 * what this file adds is the IPv6 spellings of an IPv4 address, which ipaddr.js names by their
 * own range and which must be judged by the IPv4 address they lead to.
 */
export interface AddressVerdict {
  readonly public: boolean;
  /** The IPv4 address an IPv6 spelling leads to, when it embeds one. */
  readonly reaches?: string;
}

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

const fromWords = (high: number, low: number): IPv4 =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

const leadingZeroWords = (address: IPv6, count: number) =>
  address.parts.slice(0, count).every((w) => w === 0);

/** The RFC 6052 well-known NAT64 prefix 64:ff9b::/96 (not the local-use 64:ff9b:1::/48). */
const isWellKnownNat64 = (address: IPv6) =>
  address.parts[0] === 0x64 && address.parts[1] === 0xff9b && address.parts.slice(2, 6).every((w) => w === 0);

/**
 * The IPv4 address inside an IPv6 spelling, and whether that spelling is one a host really
 * connects through. IPv4-mapped (::ffff:a.b.c.d) is how a dual-stack socket writes IPv4, and
 * the well-known NAT64 prefix is what DNS64 answers on an IPv6-only network: both may reach a
 * public address. IPv4-compatible (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d) and 6to4
 * (2002:aabb:ccdd::) are deprecated tunnelling forms: refused whatever they embed.
 */
const embeddedIPv4 = (address: IPv6): { v4: IPv4; usable: boolean } | undefined => {
  const [, w1, w2, , , , w6, w7] = address.parts as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  switch (address.range()) {
    case 'ipv4Mapped':
      return { v4: address.toIPv4Address(), usable: true };
    case 'rfc6052':
      return isWellKnownNat64(address) ? { v4: fromWords(w6, w7), usable: true } : undefined;
    case 'rfc6145':
      return { v4: fromWords(w6, w7), usable: false };
    case '6to4':
      return { v4: fromWords(w1, w2), usable: false };
    case 'unicast':
      // ::/96 but not :: or ::1 (ipaddr.js calls both of those by their own names).
      return leadingZeroWords(address, 6) ? { v4: fromWords(w6, w7), usable: false } : undefined;
    default:
      return undefined;
  }
};

const isPublicIPv4 = (address: IPv4) => address.range() === 'unicast';

/** Anything that is not an IP literal (a name, a typo) is not public: resolve names first. */
export const classifyAddress = (address: string): AddressVerdict => {
  // isIP first: ipaddr.js also reads forms like "0x7f.1", which no resolver returns.
  if (!isIP(address)) return { public: false };
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return { public: isPublicIPv4(parsed as IPv4) };
  const v6 = parsed as IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded)
    return { public: embedded.usable && isPublicIPv4(embedded.v4), reaches: embedded.v4.toString() };
  return { public: v6.range() === 'unicast' };
};

export const isPublicAddress = (address: string): boolean => classifyAddress(address).public;

/** "::ffff:7f00:1, which reaches 127.0.0.1", for a refusal a person can check. */
export const describeAddress = (address: string): string => {
  const { reaches } = classifyAddress(address);
  return reaches ? `${address}, which reaches ${reaches}` : address;
};
