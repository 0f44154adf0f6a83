import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/testApp';

/**
 * Behind a reverse proxy every connection comes from the proxy. With TRUST_PROXY=1 the client's
 * address is the last X-Forwarded-For entry (the one the proxy appended), so two clients get a
 * budget each; with nothing trusted, every client behind the proxy shares the proxy's one.
 * (supertest connects from 127.0.0.1: the "proxy".)
 */
const LIMIT = 3;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ authRateLimitPerMinute: LIMIT });
});
afterAll(async () => t.dispose());

const attempts = async (app: TestApp['app'], forwardedFor: string, count: number) => {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request(app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email: `nobody-${i}@example.com`, password: 'wrong password here' });
    statuses.push(res.status);
  }
  return statuses;
};

it('with TRUST_PROXY=1, two clients behind the proxy have a budget each', async () => {
  const behindProxy = t.replica({ trustProxy: 1 });
  expect(await attempts(behindProxy, '198.51.100.7', LIMIT + 1)).toEqual([401, 401, 401, 429]);
  expect(await attempts(behindProxy, '198.51.100.8', 1)).toEqual([401]);
  // A client cannot step out of its budget by writing its own X-Forwarded-For: the proxy appends
  // the address it saw, and one trusted hop reads only that last entry.
  expect(await attempts(behindProxy, '203.0.113.99, 198.51.100.7', 1)).toEqual([429]);
});

it('without it, every client behind the proxy shares the proxy address’s one budget', async () => {
  const trustingNobody = t.replica();
  expect(await attempts(trustingNobody, '192.0.2.1', LIMIT)).toEqual([401, 401, 401]);
  expect(await attempts(trustingNobody, '192.0.2.2', 1)).toEqual([429]);
});
