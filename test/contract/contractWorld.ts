import { randomUUID } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import type { Job } from '../../src/scheduler/job';
import { Scheduler } from '../../src/scheduler/scheduler';
import { adminWithSociety, signUp, superAdmin, uniquePhone, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';
import type { ContractExample, Given, Role } from '../../src/api/openapi/contractExample';

const api = '/api/v1';
/** A Monday far ahead, so every class is bookable and cancellable. */
const CLASS_DATE = '2030-03-04';

/**
 * Stand-ins for the design's task names: schedule_generation runs until it is stopped (so a
 * run is in progress when an example needs one); send_notifications finishes at once.
 */
const contractJobs: Job[] = [
  {
    name: 'schedule_generation',
    schedule: '0 0 * * SUN',
    retry: { attempts: 1 },
    run: (signal) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new Error('stopped by request'))),
      ),
  },
  { name: 'send_notifications', schedule: '*/5 * * * *', run: async () => 'nothing due' },
];

export interface ContractWorld {
  t: TestApp;
  root: Actor;
  scheduler: Scheduler;
}

export const startContractWorld = async (): Promise<ContractWorld> => {
  let scheduler: Scheduler | undefined;
  const t = await startTestApp({
    jobs: (db) => {
      scheduler = new Scheduler(db, contractJobs, pino({ level: 'silent' }), { stopPollMs: 20 });
      return { scheduler, triggersPerMinute: 5 };
    },
  });
  return { t, root: await superAdmin(t), scheduler: scheduler! };
};

export const stopContractWorld = async (world: ContractWorld) => {
  await world.scheduler.stop();
  await world.t.dispose();
};

/** What one example runs against: who calls, the placeholder values, and what to undo after. */
export interface ExampleScene {
  caller: (role: Role) => Actor | undefined;
  values: Record<string, string>;
  cleanup: () => Promise<void>;
}

/** Sends a setup request and insists it worked: setup is not what an example tests. */
const expectOk = async (what: string, req: request.Test, body?: object): Promise<request.Response> => {
  const res = await (body === undefined ? req : req.send(body));
  if (res.status < 200 || res.status > 299)
    throw new Error(`setup (${what}) failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
};

const post = (t: TestApp, actor: Actor, path: string) =>
  request(t.app)
    .post(`${api}${path}`)
    .set(...actor.auth);

/**
 * Builds a small society of its own for each example, through the product's own API: an admin
 * and society, a plan, a trainer, a class, and a member in the state the example asks for.
 */
export const setScene = async (world: ContractWorld, example: ContractExample): Promise<ExampleScene> => {
  const { t } = world;
  const given: Given = example.given ?? {};
  const { admin, societyId } = await adminWithSociety(t);
  const trainer = await signUp(t, 'trainer');
  const plan = await expectOk('plan', post(t, admin, '/subscriptions'), {
    society_id: societyId,
    name: `Plan ${randomUUID().slice(0, 8)}`,
    price: given.planPrice ?? '100.00',
    currency: 'INR',
    duration_in_days: 30,
  });
  const planId = plan.body.id as string;

  /** A member of the society, brought as far along as `state`. */
  const memberIn = async (state: NonNullable<Given['member']>, password?: string) => {
    const member = await signUp(t, 'member', { society_id: societyId, ...(password ? { password } : {}) });
    let paymentId: string | undefined;
    if (state !== 'pending')
      await expectOk('approve', post(t, admin, `/members/${member.userId}/status`), { status: 'approved' });
    if (state === 'awaiting-payment' || state === 'active') {
      const subscribed = await expectOk('subscribe', post(t, admin, `/members/${member.userId}/subscribe`), {
        subscription_id: planId,
      });
      if (state === 'active') {
        const paid = await expectOk('pay', post(t, admin, '/payments'), {
          member_id: member.userId,
          subscription_id: planId,
          amount: subscribed.body.amount_due,
          transaction_id: `txn_${randomUUID()}`,
        });
        paymentId = paid.body.id as string;
      }
    }
    return { member, paymentId };
  };

  const { member, paymentId } = await memberIn(given.member ?? 'active', given.memberPassword);
  const klass = await expectOk('class', post(t, admin, '/events'), {
    name: 'Morning Yoga',
    society_id: societyId,
    class_type: 'yoga',
    date: CLASS_DATE,
    start_time: '07:00',
    end_time: '08:00',
    max_members: given.waitlisted ? 1 : 20,
    ...(given.trainerAssigned ? { trainer_id: trainer.userId } : {}),
  });
  const eventId = klass.body.id as string;
  const values: Record<string, string> = {
    society_id: societyId,
    member_id: member.userId,
    member_email: member.email,
    trainer_id: trainer.userId,
    event_id: eventId,
    subscription_id: planId,
    email: `contract-${randomUUID()}@example.com`,
    phone: uniquePhone(),
    transaction_id: `txn_${randomUUID()}`,
    unknown_id: randomUUID(),
    date: CLASS_DATE,
    date_time: '2030-03-03T12:00:00',
    instant: '2030-03-04T10:00:00Z',
  };
  if (paymentId) values.payment_id = paymentId;

  const book = (who: Actor) =>
    expectOk('booking', post(t, who, `/members/${who.userId}/bookings`), { event_id: eventId });
  if (given.waitlisted) await book((await memberIn('active')).member);
  if (given.booking || given.waitlisted) values.booking_id = (await book(member)).body.id as string;
  if (given.activity) {
    const first = await expectOk('activity', post(t, admin, `/events/${eventId}/activities`), {
      name: 'Warm-up Session',
      duration: 15,
      description: 'Light stretching and breathing exercises',
      tracks: ['warmup_song1.mp3', 'calm_music.mp3'],
      media_url: 'https://example.com/warmup-guide.pdf',
    });
    await expectOk('second activity', post(t, admin, `/events/${eventId}/activities`), {
      name: 'Yoga Poses',
      duration: 45,
      description: 'Guided yoga session with breathing techniques',
      tracks: ['yoga_music1.mp3'],
      media_url: 'https://example.com/yoga-video.mp4',
    });
    values.activity_id = (first.body.activity?.id ?? first.body.id) as string;
  }
  if (given.notification) {
    const scheduled = await expectOk('notification', post(t, admin, '/notifications/schedule'), {
      member_id: member.userId,
      event_id: eventId,
      notification_type: 'reminder',
      scheduled_time: values.date_time,
    });
    values.notification_id = scheduled.body.id as string;
  }
  let cleanup = async () => undefined;
  if (given.runningJob) {
    const run = await world.scheduler.trigger('schedule_generation');
    if (run === 'skipped') throw new Error('setup (running job) failed: schedule_generation is running');
    values.task_id = run.runId;
    cleanup = async () => {
      await world.scheduler.requestStop(run.runId);
      await run.done.catch(() => undefined);
    };
  }

  const actors: Record<Role, Actor | undefined> = {
    anonymous: undefined,
    member,
    trainer,
    society_admin: admin,
    super_admin: world.root,
  };
  return { caller: (role) => actors[role], values, cleanup };
};
