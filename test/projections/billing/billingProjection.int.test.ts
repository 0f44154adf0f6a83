import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { invoiceSequenceDecider } from '../../../src/commands/billing/invoiceSequenceDecider';
import { billingStreams } from '../../../src/commands/billing/billingStreams';
import { CommandHandler } from '../../../src/commands/handling/commandHandler';
import { billingProjection } from '../../../src/projections/billing/billingProjection';
import { physicalTableName, applyEvents } from '../../../src/projections/engine/projection';
import { parsePosition } from '../../../src/events/store/position';
import { ShadowRebuild } from '../../../src/projections/engine/shadowRebuild';
import { startTestApp, type TestApp } from '../../support/testApp';
import { approvedMember, createPlan, pay, societyIn, subscribe } from '../../api/billing/billingActors';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

const snapshot = async (schema = 'public') =>
  Object.fromEntries(
    await Promise.all(
      Object.keys(billingProjection.tables).map(async (name) => [
        name,
        await t.db
          .knex(physicalTableName(name, billingProjection.version))
          .withSchema(schema)
          .select()
          .orderBy('id'),
      ]),
    ),
  );

it('applying every billing event a second time changes no row', async () => {
  const { admin, societyId } = await societyIn(t, 'Asia/Kolkata');
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId, { price: '300.00' });
  await subscribe(t, member, member.userId, plan.id);
  const paid = await pay(t, member, { member_id: member.userId, subscription_id: plan.id, amount: '300' });
  const refunded = await request(t.app)
    .post(`/api/v1/payments/${paid.body.id}/refund`)
    .set(...admin.auth)
    .send({ reason: 'partial', amount: '100' });
  expect(refunded.status).toBe(200);
  // The refund's answer carries the position of its last write (the subscription's shortening).
  expect(await t.waiter.waitFor(parsePosition(String(refunded.headers['arcfit-position']))!, 10_000)).toBe(
    true,
  );

  const before = await snapshot();
  expect(before.revenue_entries).toHaveLength(2);
  const events = (await t.store.readAll()).filter((e) => billingProjection.handles.includes(e.type));
  await t.db.knex.transaction(async (trx) => {
    for (const event of events)
      await applyEvents(billingProjection, [event], {
        trx,
        table: (name) => physicalTableName(name, billingProjection.version),
      });
  });
  expect(await snapshot()).toEqual(before);
});

it('rebuilt in one batch, the read tables equal the live ones the runner built as the events came', async () => {
  // One batch holds a payment's completion and both its refunds: each fact must see the rows the
  // facts before it in the batch changed, not only what the table held before the batch.
  const { admin, societyId } = await societyIn(t, 'America/New_York');
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId, { price: '250.00' });
  const repriced = await request(t.app)
    .patch(`/api/v1/subscriptions/${plan.id}`)
    .set(...admin.auth)
    .send({ price: '99.99' });
  expect(repriced.status).toBeLessThan(300);
  await subscribe(t, member, member.userId, plan.id);
  const paid = await pay(t, member, { member_id: member.userId, subscription_id: plan.id, amount: '99.99' });
  for (const amount of ['0.33', '99.66']) {
    const refunded = await request(t.app)
      .post(`/api/v1/payments/${paid.body.id}/refund`)
      .set(...admin.auth)
      .send({ reason: 'split', amount });
    expect(refunded.status).toBe(200);
  }
  expect(await t.waiter.waitFor(await t.store.headPosition(), 10_000)).toBe(true);
  const live = await snapshot();
  expect(live.revenue_entries.filter((e: { payment_id: string }) => e.payment_id === paid.body.id)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'payment', amount: '99.99' }),
      expect.objectContaining({ kind: 'refund', amount: '-0.33' }),
      expect.objectContaining({ kind: 'refund', amount: '-99.66' }),
    ]),
  );

  const rebuild = new ShadowRebuild(t.db.knex, t.store, [billingProjection], 'billing_one_batch', {
    batchSize: 1_000_000,
  });
  await rebuild.create();
  try {
    await rebuild.advanceTo();
    expect(rebuild.failures).toEqual(new Map());
    expect(await snapshot('billing_one_batch')).toEqual(live);
  } finally {
    await rebuild.drop();
  }
});

it('two API processes numbering one society’s invoices at once hand out 1..n, each once', async () => {
  // Two command handlers on one store: separate caches and mutexes, as two processes would have.
  const a = new CommandHandler(t.store);
  const b = new CommandHandler(t.store);
  const societyId = randomUUID();
  const payments = Array.from({ length: 20 }, () => randomUUID());
  await Promise.all(
    payments.map((paymentId, i) =>
      (i % 2 ? a : b).handle(
        billingStreams.invoiceSequence(societyId),
        invoiceSequenceDecider,
        { type: 'AssignInvoiceNumber', societyId, paymentId },
        { commandId: randomUUID(), commandType: 'AssignInvoiceNumber' },
      ),
    ),
  );
  const { state } = await a.load(billingStreams.invoiceSequence(societyId), invoiceSequenceDecider);
  expect([...state.byPayment.values()].sort((x, y) => x - y)).toEqual(
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  expect(new Set(state.byPayment.keys())).toEqual(new Set(payments));
});
