import { loadConfig } from '../../src/config';

// TRUST_PROXY as express's `trust proxy`: what an operator may write, and what is refused at start.
const trustProxy = (value?: string) =>
  loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;

it('trusts no proxy unless told', () => {
  expect(trustProxy()).toBe(false);
  expect(trustProxy('')).toBe(false);
  expect(trustProxy('false')).toBe(false);
});

it('takes a hop count or a list of addresses and ranges', () => {
  expect(trustProxy('1')).toBe(1);
  expect(trustProxy('2')).toBe(2);
  expect(trustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
  expect(trustProxy('172.16.0.0/12,fd00::/8')).toBe('172.16.0.0/12,fd00::/8');
});

it('refuses "true" (any client could name itself) and addresses proxy-addr does not understand', () => {
  expect(() => trustProxy('true')).toThrow(/TRUST_PROXY: true would let any client choose its address/);
  expect(() => trustProxy('nginx')).toThrow(/TRUST_PROXY: invalid IP address: nginx/);
  expect(() => trustProxy('10.0.0.0/33')).toThrow(/TRUST_PROXY: invalid range on address/);
});
