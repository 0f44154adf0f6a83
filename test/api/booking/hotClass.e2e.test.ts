import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { memberDecider } from '../../../src/commands/members/memberDecider';
import { streams } from '../../../src/events/streams';
import { comparePositions, formatPosition, parsePosition } from '../../../src/events/store/position';
import { giveActiveSubscription } from '../../support/subscriptions';
import { startTestApp, type TestApp } from '../../support/testApp';
import { bookingSociety } from './bookingActors';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

/** Approved members filed straight through the member commands (signing up 200 people over HTTP hashes 200 passwords). */
const approvedMember = async (societyId: string) => {
  const memberId = randomUUID();
  const meta = (commandType: string) => ({ commandId: randomUUID(), commandType });
  await t.commands.handle(
    streams.member(memberId),
    memberDecider,
    {
      type: 'OnboardMember',
      memberId,
      userId: memberId,
      societyId,
      subscriptionId: null,
      onboardedBy: null,
      selfRegistered: true,
      name: 'Member',
      email: `${memberId}@example.com`,
      phoneNumber: '+919800000000',
    },
    meta('OnboardMember'),
  );
  await t.commands.handle(
    streams.member(memberId),
    memberDecider,
    {
      type: 'DecideMembership',
      memberId,
      decision: 'approved',
      reason: null,
      checker: { userId: randomUUID(), role: 'super_admin' },
    },
    meta('DecideMembership'),
  );
  return memberId;
};

const inBatches = async <T>(n: number, size: number, make: () => Promise<T>): Promise<T[]> => {
  const out: T[] = [];
  while (out.length < n)
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - out.length) }, make))));
  return out;
};

it('200 concurrent booking requests for a 20-seat class: 20 confirmed, 180 waitlisted at places 1..180', async () => {
  const society = await bookingSociety(t);
  const eventId = await society.klass({ max_members: 20 });
  const members = await inBatches(200, 20, () => approvedMember(society.societyId));
  expect(await t.waiter.waitFor(await t.store.headPosition(), 10_000)).toBe(true);
  await inBatches(200, 10, async () => {
    const memberId = members.pop()!;
    members.unshift(memberId);
    return giveActiveSubscription(t, {
      adminToken: society.admin.token,
      memberId,
      societyId: society.societyId,
    });
  });

  const answers = await Promise.all(
    members.map((memberId) =>
      request(t.app)
        .post(`/api/v1/events/${eventId}/bookings`)
        .set(...society.admin.auth)
        .set('Idempotency-Key', `hot-${memberId}`)
        .send({ member_id: memberId }),
    ),
  );

  // Each answer is 201 once the booking read models show it, or 202 with the position past the wait.
  expect(answers.every((a) => a.status === 201 || a.status === 202)).toBe(true);
  const latest = answers
    .map((a) => parsePosition(a.headers['arcfit-position'] as string)!)
    .reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b));
  const seen = `min_position=${formatPosition(latest)}`;
  const all = await request(t.app)
    .get(`/api/v1/bookings/event/${eventId}?${seen}`)
    .set(...society.admin.auth);
  const statuses = all.body.map((b: { status: string }) => b.status);
  expect(statuses.filter((s: string) => s === 'confirmed')).toHaveLength(20);
  expect(statuses.filter((s: string) => s === 'waitlist')).toHaveLength(180);
  expect(new Set(all.body.map((b: { member_id: string }) => b.member_id))).toEqual(new Set(members));
  const waitlist = await request(t.app)
    .get(`/api/v1/events/${eventId}/waitlist?${seen}`)
    .set(...society.admin.auth);
  expect(waitlist.body.map((w: { position: number }) => w.position)).toEqual(
    Array.from({ length: 180 }, (_, i) => i + 1),
  );
  const event = await request(t.app)
    .get(`/api/v1/events/${eventId}?${seen}`)
    .set(...society.admin.auth);
  expect(event.body.seats_left).toBe(0);
}, 120_000);
