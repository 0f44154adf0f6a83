import { randomUUID } from 'node:crypto';
import { defaultBilling } from '../../../src/api/billing/billingDependencies';
import { payForSubscription } from '../../../src/commands/billing/paymentCommands';
import { createPlan } from '../../../src/commands/billing/planCommands';
import { subscribeMember } from '../../../src/commands/billing/subscriptionCommands';
import { subscriptionEligibility } from '../../../src/commands/billing/subscriptionEligibility';
import { CommandHandler } from '../../../src/commands/handling/commandHandler';
import { streams } from '../../../src/events/streams';
import { membershipExpirationCheckJob } from '../../../src/scheduler/jobs/billing/membershipExpirationCheckJob';
import { paymentStatusCheckJob } from '../../../src/scheduler/jobs/billing/paymentStatusCheckJob';
import type { Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';
import { approvedMember, societyIn } from '../../api/billing/billingActors';

let t: TestApp;
let admin: Actor;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

/** The write side with a clock the test moves. */
const clocked = () => {
  let now = new Date();
  const commands = new CommandHandler(t.store, { clock: () => now });
  return { commands, setNow: (d: Date) => (now = d), now: () => now };
};

const meta = (commandType: string) => ({ commandId: randomUUID(), commandType });

/** An approved member in a society of `timezone`, subscribed (at the clock's time) to a plan of `days`. */
const subscribedMember = async (
  commands: CommandHandler,
  timezone: string,
  days: number,
  transactionId: string,
) => {
  const society = await societyIn(t, timezone);
  admin = society.admin;
  const member = await approvedMember(t, admin, society.societyId);
  const planId = randomUUID();
  await createPlan(
    commands,
    {
      planId,
      societyId: society.societyId,
      name: `P ${planId}`,
      price: '100.00',
      currency: 'INR',
      durationInDays: days,
      createdBy: admin.userId,
    },
    meta('CreatePlan'),
  );
  await subscribeMember(
    commands,
    { subscriptionId: randomUUID(), memberId: member.userId, planId, changePlan: false },
    meta('Subscribe'),
  );
  const paid = await payForSubscription(
    commands,
    defaultBilling().gateways,
    {
      paymentId: randomUUID(),
      memberId: member.userId,
      planId,
      amount: '100',
      transactionId,
      method: 'online',
    },
    meta('Pay'),
  );
  return { memberId: member.userId, paymentId: paid.paymentId, position: paid.position };
};

describe('expiry at the right instant in the society’s time zone', () => {
  it('Asia/Kolkata: paid at 01:30 local on 11 Jan (still 10 Jan in UTC), a 30-day plan ends at midnight IST on 10 Feb', async () => {
    const { commands, setNow } = clocked();
    setNow(new Date('2026-01-10T20:00:00Z'));
    const { memberId } = await subscribedMember(commands, 'Asia/Kolkata', 30, `txn_${randomUUID()}`);
    const end = new Date('2026-02-09T18:30:00Z'); // 2026-02-10 00:00 +05:30
    const eligibility = subscriptionEligibility(commands);
    expect(await eligibility.isActiveAt(memberId, new Date('2026-01-10T19:59:59Z'))).toBe(false);
    expect(await eligibility.isActiveAt(memberId, new Date('2026-01-10T20:00:00Z'))).toBe(true);
    expect(await eligibility.isActiveAt(memberId, new Date(end.getTime() - 1))).toBe(true);
    expect(await eligibility.isActiveAt(memberId, end)).toBe(false);
  });

  it('America/New_York across the DST change: a 10-day plan from 1 Mar ends at midnight EDT on 11 Mar', async () => {
    const { commands, setNow } = clocked();
    setNow(new Date('2026-03-01T15:00:00Z')); // 10:00 EST
    const { memberId } = await subscribedMember(commands, 'America/New_York', 10, `txn_${randomUUID()}`);
    const end = new Date('2026-03-11T04:00:00Z'); // 00:00 EDT (-04:00), not 05:00Z as in winter
    const eligibility = subscriptionEligibility(commands);
    expect(await eligibility.isActiveAt(memberId, new Date(end.getTime() - 1))).toBe(true);
    expect(await eligibility.isActiveAt(memberId, end)).toBe(false);
  });
});

describe('membership_expiration_check', () => {
  it('tells the member a few days before, records the expiry after, and does each once', async () => {
    const { commands, setNow, now } = clocked();
    setNow(new Date('2026-01-10T06:00:00Z'));
    const { memberId, position } = await subscribedMember(commands, 'Asia/Kolkata', 7, `txn_${randomUUID()}`);
    await t.waiter.waitFor(position!, 10_000);
    // The job's clock and the decider's are the same moved clock.
    const job = membershipExpirationCheckJob({ knex: t.db.knex, commands, clock: now }, { noticeDays: 3 });
    const run = (at: string) => {
      setNow(new Date(at));
      return job.run(new AbortController().signal);
    };
    const types = async () =>
      (await t.store.readStream(streams.memberSubscriptions(memberId)))
        .map((e) => e.type)
        .filter((x) => x.startsWith('SubscriptionExp'));
    expect(await run('2026-01-12T00:00:00Z')).toMatch(/0 expired, 0 told/);
    expect(await run('2026-01-14T12:00:00Z')).toMatch(/0 expired, \d+ told/);
    expect(await types()).toEqual(['SubscriptionExpiryNoticeGiven']);
    await run('2026-01-15T12:00:00Z');
    expect(await types()).toEqual(['SubscriptionExpiryNoticeGiven']);
    await run('2026-01-17T00:00:00Z'); // ends 2026-01-16T18:30Z (17 Jan 00:00 IST)
    await run('2026-01-18T00:00:00Z');
    expect(await types()).toEqual(['SubscriptionExpiryNoticeGiven', 'SubscriptionExpired']);
  });
});

describe('payment_status_check', () => {
  it('settles a pending payment through the gateway once it is old enough, and backs off while it stays pending', async () => {
    const { commands, setNow } = clocked();
    const start = new Date();
    setNow(start);
    const { memberId, paymentId, position } = await subscribedMember(
      commands,
      'Asia/Kolkata',
      30,
      `txn_pending_${randomUUID()}`,
    );
    await t.waiter.waitFor(position!, 10_000);
    expect(await subscriptionEligibility(commands).isActiveAt(memberId, start)).toBe(false);

    // A gateway that says "pending" twice, then "completed".
    let lookups = 0;
    const gateways = defaultBilling().gateways;
    const stubborn = {
      ...gateways.online,
      lookup: async () => {
        lookups++;
        return lookups <= 2
          ? { status: 'pending' as const, reference: 'r' }
          : { status: 'completed' as const, reference: 'r' };
      },
    };
    let now = start;
    const job = paymentStatusCheckJob(
      { knex: t.db.knex, commands, gateways: { ...gateways, online: stubborn }, clock: () => now },
      { pendingAfterMs: 60_000, backoffMs: 60_000 },
    );
    const runAt = async (msAfterStart: number) => {
      now = new Date(start.getTime() + msAfterStart);
      setNow(now);
      return job.run(new AbortController().signal);
    };
    expect(await runAt(30_000)).toMatch(/^0 settled, 0 still pending/); // too young to ask about
    expect(await runAt(120_000)).toMatch(/0 settled, 1 still pending/); // first check
    expect(await runAt(150_000)).toMatch(/1 not due/); // backoff: 60 s after the first check
    expect(await runAt(181_000)).toMatch(/0 settled, 1 still pending/); // second check
    expect(await runAt(250_000)).toMatch(/1 not due/); // backoff doubled: 120 s
    expect(await runAt(302_000)).toMatch(/^1 settled/);
    expect(lookups).toBe(3);
    expect(await subscriptionEligibility(commands).isActiveAt(memberId, now)).toBe(true);
    const types = (await t.store.readStream(streams.payment(paymentId))).map((e) => e.type);
    expect(types).toEqual([
      'PaymentInitiated',
      'PaymentStatusChecked',
      'PaymentStatusChecked',
      'PaymentCompleted',
      'InvoiceIssued',
    ]);
  });
});
