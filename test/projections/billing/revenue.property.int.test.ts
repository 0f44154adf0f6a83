import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { defaultBilling } from '../../../src/api/billing/billingDependencies';
import { payForSubscription } from '../../../src/commands/billing/paymentCommands';
import { settlePayment } from '../../../src/commands/billing/paymentSettlement';
import { createPlan } from '../../../src/commands/billing/planCommands';
import { refundPayment } from '../../../src/commands/billing/refundCommands';
import { subscribeMember } from '../../../src/commands/billing/subscriptionCommands';
import { applyForMembership, decideMembership } from '../../../src/commands/members/memberCommands';
import { CommandRefusedError } from '../../../src/commands/handling/commandHandler';
import { fromMinorUnits } from '../../../src/events/billing/money';
import { comparePositions, formatPosition, START, type Position } from '../../../src/events/store/position';
import { uniquePhone } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';
import { societyIn } from '../../api/billing/billingActors';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

const meta = (commandType: string) => ({ commandId: randomUUID(), commandType });
const gateways = defaultBilling().gateways;

type Outcome = 'paid' | 'declined' | 'pending-then-paid' | 'pending-then-declined';
type Op =
  | { kind: 'pay'; plan: number; outcome: Outcome }
  | { kind: 'refund'; payment: number; share: number; full: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('pay' as const),
    plan: fc.nat(2),
    outcome: fc.constantFrom<Outcome>('paid', 'declined', 'pending-then-paid', 'pending-then-declined'),
  }),
  fc.record({
    kind: fc.constant('refund' as const),
    payment: fc.nat(20),
    share: fc.double({ min: 0.01, max: 1.2, noNaN: true }),
    full: fc.boolean(),
  }),
);

/** A member approved straight through the write side (signup's password hashing is not what is tested). */
const newApprovedMember = async (societyId: string) => {
  const memberId = randomUUID();
  await applyForMembership(
    t.commands,
    {
      memberId,
      userId: memberId,
      name: 'Prop Member',
      email: `${memberId}@example.com`,
      phoneNumber: uniquePhone(),
      societyId,
    },
    meta('ApplyForMembership'),
  );
  await decideMembership(
    t.commands,
    { memberId, decision: 'approved', reason: null, checker: { userId: randomUUID(), role: 'super_admin' } },
    meta('DecideMembership'),
  );
  return memberId;
};

it('revenue = sum of completed payments − refunds, after any sequence of payments, failures and refunds', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 3, maxLength: 3 }),
      fc.array(opArb, { minLength: 1, maxLength: 10 }),
      async (pricesMinor, ops) => {
        const { admin, societyId } = await societyIn(t, 'Asia/Kolkata');
        const plans = await Promise.all(
          pricesMinor.map(async (minor, i) => {
            const planId = randomUUID();
            await createPlan(
              t.commands,
              {
                planId,
                societyId,
                name: `Plan ${i}`,
                price: fromMinorUnits(minor),
                currency: 'INR',
                durationInDays: 30,
                createdBy: admin.userId,
              },
              meta('CreatePlan'),
            );
            return { planId, minor };
          }),
        );
        // The model: what each completed payment brought in, minus what was refunded on it.
        const completed: { paymentId: string; minor: number; refundedMinor: number }[] = [];
        const paymentIds: string[] = [];
        for (const op of ops) {
          if (op.kind === 'pay') {
            const plan = plans[op.plan]!;
            const memberId = await newApprovedMember(societyId);
            await subscribeMember(
              t.commands,
              { subscriptionId: randomUUID(), memberId, planId: plan.planId, changePlan: false },
              meta('Subscribe'),
            );
            const tag = op.outcome === 'paid' ? 'ok' : op.outcome === 'declined' ? 'fail' : 'pending';
            const paid = await payForSubscription(
              t.commands,
              gateways,
              {
                paymentId: randomUUID(),
                memberId,
                planId: plan.planId,
                amount: fromMinorUnits(plan.minor),
                transactionId: `txn_${tag}_${randomUUID()}`,
                method: 'online',
              },
              meta('Pay'),
            );
            paymentIds.push(paid.paymentId);
            if (op.outcome.startsWith('pending-then')) {
              const ok = op.outcome === 'pending-then-paid';
              await settlePayment(
                t.commands,
                paid.paymentId,
                ok
                  ? { status: 'completed', reference: 'r' }
                  : { status: 'failed', reference: 'r', reason: 'declined' },
                meta('Settle'),
              );
            }
            if (op.outcome === 'paid' || op.outcome === 'pending-then-paid')
              completed.push({ paymentId: paid.paymentId, minor: plan.minor, refundedMinor: 0 });
          } else if (completed.length > 0) {
            const target = completed[op.payment % completed.length]!;
            const left = target.minor - target.refundedMinor;
            const amountMinor = op.full ? left : Math.max(1, Math.round(target.minor * op.share));
            try {
              await refundPayment(
                t.commands,
                gateways,
                {
                  paymentId: target.paymentId,
                  refundId: randomUUID(),
                  amount: op.full ? null : fromMinorUnits(amountMinor),
                  reason: 'prop',
                  refundedBy: admin.userId,
                },
                meta('Refund'),
              );
              target.refundedMinor += op.full ? left : amountMinor;
            } catch (error) {
              // Refusing an over-refund (or a second full refund) is the rule, not a failure.
              if (!(error instanceof CommandRefusedError) || (left > 0 && amountMinor <= left)) throw error;
            }
          }
        }
        // Wait for the last fact of every payment (not the store's head: a transaction still open
        // elsewhere holds the head back, and a read could then miss the newest refund).
        const position = (
          await Promise.all(
            paymentIds.map(async (id) => (await t.store.readStream(`payment-${id}`)).at(-1)!.position),
          )
        ).reduce<Position>((a, b) => (comparePositions(a, b) >= 0 ? a : b), START);
        const res = await request(t.app)
          .get(`/api/v1/societies/${societyId}/revenue`)
          .query({ min_position: formatPosition(position) })
          .set(...admin.auth);
        expect(res.status).toBe(200);
        const expected = completed.reduce((sum, p) => sum + p.minor - p.refundedMinor, 0);
        // A JSON number, exact to the cent: the minor units it stands for are the expected sum.
        expect(Math.round(res.body.revenue * 100)).toBe(expected);
        expect(res.body.revenue).toBe(Number(fromMinorUnits(expected)));
        const breakdownNet = (res.body.breakdown as { net: number }[]).reduce(
          (sum, line) => sum + Math.round(Number(line.net) * 100),
          0,
        );
        expect(breakdownNet).toBe(expected);
      },
    ),
    { numRuns: 12 },
  );
  // Twelve societies' worth of real commands and projections: give it room on a busy machine.
}, 240_000);
