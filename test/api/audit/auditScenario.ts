import request from 'supertest';
import { signUp, type Actor } from '../../support/actors';
import { giveActiveSubscription } from '../../support/subscriptions';
import type { TestApp } from '../../support/testApp';
import { bookingSociety } from '../booking/bookingActors';

const api = '/api/v1';

const ok = (res: request.Response, what: string, ...statuses: number[]) => {
  if (!statuses.includes(res.status)) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
};

/**
 * A small, living society driven through the public API: members who apply, are approved (one
 * rejected), subscribe and pay; a class of one seat that two of them book (the second waits),
 * the first cancels (the second is promoted); a profile change; a trainer.
 */
export const driveSociety = async (t: TestApp) => {
  const society = await bookingSociety(t);
  const { admin, societyId } = society;
  const members: Actor[] = [];
  const paymentIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const member = await society.member({ subscribed: false });
    const { paymentId } = await giveActiveSubscription(t, {
      adminToken: admin.token,
      memberId: member.userId,
      societyId,
    });
    members.push(member);
    paymentIds.push(paymentId);
  }
  const rejected = await signUp(t, 'member', { society_id: societyId });
  ok(
    await request(t.app)
      .post(`${api}/members/${rejected.userId}/status`)
      .set(...admin.auth)
      .send({ status: 'rejected', reason: 'lives elsewhere' }),
    'reject',
    200,
  );
  ok(
    await request(t.app)
      .patch(`${api}/members/${members[0]!.userId}`)
      .set(...members[0]!.auth)
      .send({ name: 'Asha Rao-Iyer' }),
    'rename',
    200,
  );
  const classId = await society.klass({
    max_members: 1,
    date: '2030-03-05',
    start_time: '18:00',
    end_time: '19:00',
  });
  const bookingIds: string[] = [];
  for (const member of members.slice(0, 2)) {
    const booked = ok(
      await request(t.app)
        .post(`${api}/bookings`)
        .set(...member.auth)
        .send({ event_id: classId }),
      'book',
      201,
    );
    bookingIds.push(booked.body.id as string);
  }
  ok(
    await request(t.app)
      .delete(`${api}/bookings/${bookingIds[0]}`)
      .set(...members[0]!.auth),
    'cancel',
    200,
  );
  const trainer = await signUp(t, 'trainer');
  return { admin, societyId, members, rejected, trainer, classId, bookingIds, paymentIds };
};

/** Resolves once every serving projection has applied everything written so far. */
export const readSideCaughtUp = async (t: TestApp) => {
  const head = await t.store.headPosition();
  if (!(await t.waiter.waitFor(head, 20_000))) throw new Error('read side did not catch up');
};
