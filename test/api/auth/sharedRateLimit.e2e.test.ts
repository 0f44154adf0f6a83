import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/testApp';

// Rate limits live in PostgreSQL: replicas share one budget per client address.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ authRateLimitPerMinute: 6 });
});
afterAll(async () => t.dispose());

it('a limit of 6 per minute lets 6 sign-in attempts through across three replicas, not 18', async () => {
  const replicas = [t.app, t.replica(), t.replica()];
  const answers = [];
  for (let i = 0; i < 18; i++) {
    answers.push(
      await request(replicas[i % 3]!)
        .post('/api/v1/auth/login')
        .send({ email: `nobody-${i}@example.com`, password: 'wrong password here' }),
    );
  }
  const admitted = answers.filter((a) => a.status !== 429);
  expect(admitted).toHaveLength(6);
  const refused = answers.find((a) => a.status === 429)!;
  expect(refused.body.type).toMatch(/rate-limited$/);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
});
