import { randomUUID } from 'node:crypto';
import { defaultBilling } from '../../../src/api/billing/billingDependencies';
import type { BillingGateways } from '../../../src/commands/billing/billingGateways';
import {
  RefundRefusedError,
  type PaymentGateway,
} from '../../../src/commands/billing/gateway/paymentGateway';
import { payForSubscription } from '../../../src/commands/billing/paymentCommands';
import { paymentDecider } from '../../../src/commands/billing/paymentDecider';
import { createPlan } from '../../../src/commands/billing/planCommands';
import { refundPayment } from '../../../src/commands/billing/refundCommands';
import { subscribeMember } from '../../../src/commands/billing/subscriptionCommands';
import { CommandHandler, CommandRefusedError } from '../../../src/commands/handling/commandHandler';
import { comparePositions } from '../../../src/events/store/position';
import { streams } from '../../../src/events/streams';
import { refundReconciliationJob } from '../../../src/scheduler/jobs/billing/refundReconciliationJob';
import { startTestApp, type TestApp } from '../../support/testApp';
import { approvedMember, societyIn } from '../../api/billing/billingActors';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

const meta = (commandType: string) => ({ commandId: randomUUID(), commandType });
const signal = () => new AbortController().signal;
class Crash extends Error {}

/** The simulated provider, counting refunds by refund id; `refuse` makes it decline, `down` makes it unreachable. */
const countingGateways = (behaviour: { refuse?: boolean; down?: boolean } = {}) => {
  const simulated = defaultBilling().gateways.online;
  const asked: string[] = [];
  const online: PaymentGateway = {
    ...simulated,
    refund: async (request) => {
      asked.push(request.refundId);
      if (behaviour.down) throw Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
      if (behaviour.refuse) throw new RefundRefusedError('insufficient_balance');
      return simulated.refund(request);
    },
  };
  const gateways: BillingGateways = { online, manual: defaultBilling().gateways.manual };
  return { gateways, asked, behaviour };
};

/** A completed online payment of 300.00 for a fresh member. */
const paidPayment = async () => {
  const { admin, societyId } = await societyIn(t, 'Asia/Kolkata');
  const member = await approvedMember(t, admin, societyId);
  const planId = randomUUID();
  await createPlan(
    t.commands,
    {
      planId,
      societyId,
      name: `P ${planId}`,
      price: '300.00',
      currency: 'INR',
      durationInDays: 30,
      createdBy: admin.userId,
    },
    meta('CreatePlan'),
  );
  await subscribeMember(
    t.commands,
    { subscriptionId: randomUUID(), memberId: member.userId, planId, changePlan: false },
    meta('Subscribe'),
  );
  const paid = await payForSubscription(
    t.commands,
    defaultBilling().gateways,
    {
      paymentId: randomUUID(),
      memberId: member.userId,
      planId,
      amount: '300',
      transactionId: `txn_${randomUUID()}`,
      method: 'online',
    },
    meta('Pay'),
  );
  return { paymentId: paid.paymentId, adminId: admin.userId, memberId: member.userId, societyId };
};

const history = async (paymentId: string) => t.store.readStream(streams.payment(paymentId));
const typesOf = async (paymentId: string) => (await history(paymentId)).map((e) => e.type);
const caughtUp = async (...paymentIds: string[]) => {
  const lasts = (await Promise.all(paymentIds.map(history))).map((events) => events.at(-1)!.position);
  const latest = lasts.reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b));
  expect(await t.waiter.waitFor(latest, 10_000)).toBe(true);
};
const refundRows = (paymentId: string) =>
  t.db.knex('payment_refunds').where({ payment_id: paymentId }).orderBy('requested_at');
const revenueOf = async (paymentId: string) =>
  (
    await t.db
      .knex('revenue_entries')
      .where({ payment_id: paymentId })
      .select(t.db.knex.raw('sum(amount)::numeric(20,2)::text as net'))
  )[0].net as string;

describe('a crash right after the provider refunded', () => {
  it('leaves the request pending; the reconciler asks again with the same refund id and records it once', async () => {
    const { paymentId, adminId, memberId } = await paidPayment();
    const provider = countingGateways();
    const refundId = randomUUID();
    await expect(
      refundPayment(
        t.commands,
        provider.gateways,
        { paymentId, refundId, amount: '100.00', reason: 'moved', refundedBy: adminId },
        meta('RefundPayment'),
        { afterGatewayRefund: () => Promise.reject(new Crash('process died here')) },
      ),
    ).rejects.toBeInstanceOf(Crash);
    expect(provider.asked).toEqual([refundId]);
    expect(await typesOf(paymentId)).toContain('RefundRequested');
    expect(await typesOf(paymentId)).not.toContain('PaymentRefunded');
    await caughtUp(paymentId);
    expect(await refundRows(paymentId)).toEqual([
      expect.objectContaining({ id: refundId, status: 'requested', amount: '100.00', refunded_at: null }),
    ]);
    expect(await revenueOf(paymentId)).toBe('300.00');

    // Not yet due: a refund requested under a minute ago may still be on its way.
    const fresh = refundReconciliationJob({
      knex: t.db.knex,
      commands: t.commands,
      gateways: provider.gateways,
    });
    expect(await fresh.run(signal())).not.toMatch(/refunded [1-9]/);
    const job = refundReconciliationJob({
      knex: t.db.knex,
      commands: t.commands,
      gateways: provider.gateways,
      timeoutMs: 0,
    });
    expect(await job.run(signal())).toMatch(/refunded 1, failed 0, still unanswered 0/);
    expect(provider.asked).toEqual([refundId, refundId]);
    const refunds = (await history(paymentId)).filter((e) => e.type === 'PaymentRefunded');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.data).toMatchObject({ refundId, amount: '100.00', totalRefunded: '100.00' });
    const shortened = (await t.store.readStream(streams.memberSubscriptions(memberId))).filter(
      (e) => e.type === 'SubscriptionShortened',
    );
    expect(shortened).toHaveLength(1);

    await caughtUp(paymentId);
    expect(await refundRows(paymentId)).toEqual([
      expect.objectContaining({ id: refundId, status: 'completed', amount: '100.00' }),
    ]);
    expect(await revenueOf(paymentId)).toBe('200.00');
    // Run again: nothing left to do, nothing recorded twice.
    expect(await job.run(signal())).toMatch(/refunded 0, failed 0/);
    expect((await history(paymentId)).filter((e) => e.type === 'PaymentRefunded')).toHaveLength(1);
  });

  it('a provider that does not answer leaves the request pending (the error surfaces as before) until it does', async () => {
    const { paymentId, adminId } = await paidPayment();
    const provider = countingGateways({ down: true });
    const refundId = randomUUID();
    await expect(
      refundPayment(
        t.commands,
        provider.gateways,
        { paymentId, refundId, amount: null, reason: 'moved', refundedBy: adminId },
        meta('RefundPayment'),
      ),
    ).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    await caughtUp(paymentId);
    const job = refundReconciliationJob({
      knex: t.db.knex,
      commands: t.commands,
      gateways: provider.gateways,
      timeoutMs: 0,
    });
    await expect(job.run(signal())).rejects.toThrow(/still unanswered [1-9]/);
    // While pending, the amount is held: another refund is refused.
    await expect(
      refundPayment(
        t.commands,
        provider.gateways,
        { paymentId, refundId: randomUUID(), amount: '1.00', reason: 'x', refundedBy: adminId },
        meta('RefundPayment'),
      ),
    ).rejects.toMatchObject({ refusal: { type: 'payment-fully-refunded' } });
    provider.behaviour.down = false;
    await job.run(signal());
    expect(provider.asked.filter((id) => id === refundId).length).toBeGreaterThanOrEqual(3);
    expect((await history(paymentId)).filter((e) => e.type === 'PaymentRefunded')).toHaveLength(1);
    await caughtUp(paymentId);
    expect(await revenueOf(paymentId)).toBe('0.00');
  });
});

describe('a provider refusal', () => {
  it('records RefundFailed, answers with a refusal, and releases the reservation', async () => {
    const { paymentId, adminId } = await paidPayment();
    const provider = countingGateways({ refuse: true });
    const refundId = randomUUID();
    const error = await refundPayment(
      t.commands,
      provider.gateways,
      { paymentId, refundId, amount: null, reason: 'moved', refundedBy: adminId },
      meta('RefundPayment'),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandRefusedError);
    expect((error as CommandRefusedError).refusal).toMatchObject({
      type: 'refund-refused-by-provider',
      status: 422,
    });
    expect(await typesOf(paymentId)).toEqual(expect.arrayContaining(['RefundRequested', 'RefundFailed']));
    expect(await typesOf(paymentId)).not.toContain('PaymentRefunded');

    provider.behaviour.refuse = false;
    const later = await refundPayment(
      t.commands,
      provider.gateways,
      { paymentId, refundId: randomUUID(), amount: null, reason: 'again', refundedBy: adminId },
      meta('RefundPayment'),
    );
    expect(later.refund).toMatchObject({ amount: '300.00', totalRefunded: '300.00' });
    await caughtUp(paymentId);
    expect((await refundRows(paymentId)).map((r) => [r.status, r.amount])).toEqual([
      ['failed', '300.00'],
      ['completed', '300.00'],
    ]);
    expect(await revenueOf(paymentId)).toBe('0.00');
  });

  it('met by the reconciler, is recorded as RefundFailed too', async () => {
    const { paymentId, adminId } = await paidPayment();
    const provider = countingGateways({ down: true });
    await expect(
      refundPayment(
        t.commands,
        provider.gateways,
        { paymentId, refundId: randomUUID(), amount: '10.00', reason: 'x', refundedBy: adminId },
        meta('RefundPayment'),
      ),
    ).rejects.toThrow(/ETIMEDOUT/);
    await caughtUp(paymentId);
    Object.assign(provider.behaviour, { down: false, refuse: true });
    const job = refundReconciliationJob({
      knex: t.db.knex,
      commands: t.commands,
      gateways: provider.gateways,
      timeoutMs: 0,
    });
    expect(await job.run(signal())).toMatch(/refunded 0, failed 1/);
    const { state } = await t.commands.load(streams.payment(paymentId), paymentDecider);
    expect(state.exists && state.pendingRefunds).toEqual({});
  });
});

describe('two concurrent partial refunds that together exceed the payment', () => {
  it('accepts exactly one — also from two processes — and the provider hears only of that one', async () => {
    const { paymentId, adminId } = await paidPayment();
    const provider = countingGateways();
    const [a, b] = [randomUUID(), randomUUID()];
    // Two command handlers on one store: two processes, so only the payment stream's revision decides.
    const results = await Promise.allSettled([
      refundPayment(
        new CommandHandler(t.store),
        provider.gateways,
        { paymentId, refundId: a, amount: '200.00', reason: 'a', refundedBy: adminId },
        meta('RefundPayment'),
      ),
      refundPayment(
        new CommandHandler(t.store),
        provider.gateways,
        { paymentId, refundId: b, amount: '150.00', reason: 'b', refundedBy: adminId },
        meta('RefundPayment'),
      ),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as CommandRefusedError).refusal.type).toBe('refund-exceeds-payment');
    const recorded = (await history(paymentId)).filter((e) => e.type === 'PaymentRefunded');
    expect(recorded).toHaveLength(1);
    const accepted = (recorded[0]!.data as { refundId: string }).refundId;
    expect(provider.asked).toEqual([accepted]);
    expect((await history(paymentId)).filter((e) => e.type === 'RefundRequested')).toHaveLength(1);
  });
});
