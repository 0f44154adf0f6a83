import request from 'supertest';
import { signUp, type Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

/**
 * Rotating refresh tokens. A spent token presented again long after it was spent has leaked: the
 * whole family dies. Presented again within seconds, it is a client's own concurrent refresh (two
 * tabs, a retry): the later request is told to use the token the first one received.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

const refresh = (token: string) => request(t.app).post('/api/v1/auth/refresh').send({ refresh_token: token });
const me = (token: string) => request(t.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

/** The time passing since the user's tokens were spent, without waiting for it. */
const spentLongAgo = (user: Actor) =>
  t.db
    .knex('refresh_tokens')
    .where({ user_id: user.userId })
    .whereNotNull('used_at')
    .update({ used_at: t.db.knex.raw("used_at - interval '1 minute'") });

describe('refresh tokens', () => {
  it('rotates: the new pair works and the new refresh token differs', async () => {
    const user = await signUp(t, 'society_admin');
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(user.refreshToken);
    expect((await me(first.body.token)).status).toBe(200);
    expect((await refresh(first.body.refresh_token)).status).toBe(200);
  });

  it('answers the loser of two concurrent refreshes 409 and keeps the winner’s new token alive', async () => {
    const user = await signUp(t, 'society_admin');
    const results = await Promise.all([0, 1].map(() => refresh(user.refreshToken)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(loser.body.type).toMatch(/refresh-token-in-use$/);
    expect(loser.body.detail).toMatch(/other request/i);
    // The winner's session goes on: its refresh token still rotates.
    expect((await refresh(winner.body.refresh_token)).status).toBe(200);
  });

  it('revokes the whole family when a spent token comes back after the grace window', async () => {
    const user = await signUp(t, 'society_admin');
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    await spentLongAgo(user);

    const reused = await refresh(user.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body.type).toMatch(/refresh-token-reused$/);
    // The thief's copy is dead, and so is the rightful holder's newer token of the same family.
    expect((await refresh(first.body.refresh_token)).status).toBe(401);
  });

  it('refuses a spent token of a logged-out family even within the grace window', async () => {
    const user = await signUp(t, 'society_admin');
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    expect(
      (await request(t.app).post('/api/v1/auth/logout').send({ refresh_token: first.body.refresh_token }))
        .status,
    ).toBe(200);
    expect((await refresh(user.refreshToken)).status).toBe(401);
  });

  it('makes a logged-out refresh token useless', async () => {
    const user = await signUp(t, 'society_admin');
    expect(
      (await request(t.app).post('/api/v1/auth/logout').send({ refresh_token: user.refreshToken })).status,
    ).toBe(200);
    expect((await refresh(user.refreshToken)).status).toBe(401);
  });
});
