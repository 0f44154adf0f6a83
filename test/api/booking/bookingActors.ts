import request from 'supertest';
import { adminWithSociety, signUp, type Actor } from '../../support/actors';
import { giveActiveSubscription } from '../../support/subscriptions';
import { startTestApp, type TestApp } from '../../support/testApp';

/** A society with its admin, ready to run classes. */
export const bookingSociety = async (t: TestApp) => {
  const { admin, societyId } = await adminWithSociety(t);

  /** A member who signed up, was approved by the admin, and (unless told otherwise) subscribed and paid. */
  const member = async (opts: { approved?: boolean; subscribed?: boolean } = {}): Promise<Actor> => {
    const actor = await signUp(t, 'member', { society_id: societyId });
    if (opts.approved === false) return actor;
    const approved = await request(t.app)
      .post(`/api/v1/members/${actor.userId}/status`)
      .set(...admin.auth)
      .send({ status: 'approved' });
    if (approved.status !== 200)
      throw new Error(`approve failed: ${approved.status} ${JSON.stringify(approved.body)}`);
    if (opts.subscribed !== false)
      await giveActiveSubscription(t, { adminToken: admin.token, memberId: actor.userId, societyId });
    return actor;
  };

  /** A class of the society; `date`/`start_time` are society-local (Asia/Kolkata). */
  const klass = async (body: Record<string, unknown> = {}) => {
    const res = await request(t.app)
      .post('/api/v1/events')
      .set(...admin.auth)
      .send({
        name: 'Morning Yoga',
        society_id: societyId,
        class_type: 'yoga',
        date: '2030-03-04',
        start_time: '07:00',
        end_time: '08:00',
        max_members: 20,
        ...body,
      });
    if (res.status !== 201) throw new Error(`class failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };

  return { admin, societyId, member, klass };
};

/** The society-local date and HH:mm of an instant, for classes that start soon. */
export const kolkataWallClock = (at: Date) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Kolkata',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
};

export type BookingSociety = Awaited<ReturnType<typeof bookingSociety>>;

/** A fresh test app with one booking society in it: where most booking e2e files start. */
export const startBookingWorld = async (): Promise<{ t: TestApp; society: BookingSociety }> => {
  const t = await startTestApp();
  return { t, society: await bookingSociety(t) };
};
