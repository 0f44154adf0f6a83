import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFRawStream, PDFName } from 'pdf-lib';
import request from 'supertest';
import { subscriptionEligibility } from '../../../src/commands/billing/subscriptionEligibility';
import type { Actor } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';
import { approvedMember, createPlan, expectProblem, pay, societyIn, subscribe } from './billingActors';

let t: TestApp;
let admin: Actor;
let otherAdmin: Actor;
let societyId: string;

beforeAll(async () => {
  t = await startTestApp();
  ({ admin, societyId } = await societyIn(t, 'Asia/Kolkata'));
  ({ admin: otherAdmin } = await societyIn(t, 'Asia/Kolkata'));
});
afterAll(async () => t.dispose());

const paidMember = async (price = '1200.00', durationInDays = 30) => {
  const member = await approvedMember(t, admin, societyId);
  const plan = await createPlan(t, admin, societyId, { price, duration_in_days: durationInDays });
  await subscribe(t, member, member.userId, plan.id);
  const paid = await pay(t, member, { member_id: member.userId, subscription_id: plan.id, amount: price });
  expect(paid.body.payment_status).toBe('completed');
  return {
    member,
    plan,
    payment: paid.body as { id: string; invoice_number: string; transaction_id: string },
  };
};

const refund = (by: Actor, paymentId: string, body: object) =>
  request(t.app)
    .post(`/api/v1/payments/${paymentId}/refund`)
    .set(...by.auth)
    .send(body);

const subscriptionsOf = async (member: Actor) =>
  (
    await request(t.app)
      .get(`/api/v1/members/${member.userId}/subscriptions`)
      .set(...member.auth)
  ).body as { status: string; active: boolean; ends_at: string; starts_at: string }[];

/** Every text a page draws, decoded from its content streams (pdf-lib writes Flate-compressed hex strings). */
const pageText = (pdf: PDFDocument): string => {
  const contents = pdf.getPage(0).node.Contents();
  const streams = contents && 'asArray' in contents ? contents.asArray() : [contents];
  return streams
    .map((ref) => pdf.context.lookup(ref as never))
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
    .map((s) => {
      const filter = s.dict.get(PDFName.of('Filter'));
      const bytes = filter ? inflateSync(Buffer.from(s.contents)) : Buffer.from(s.contents);
      return bytes
        .toString('latin1')
        .replace(/<([0-9A-Fa-f]+)>/g, (_, hex: string) => Buffer.from(hex, 'hex').toString('latin1'));
    })
    .join('\n');
};

describe('invoices', () => {
  it('renders a valid PDF that shows the invoice number, and numbers invoices per society without gaps', async () => {
    const first = await paidMember();
    const second = await paidMember();
    const numbers = [first.payment.invoice_number, second.payment.invoice_number];
    expect(Number(numbers[1]!.slice(4)) - Number(numbers[0]!.slice(4))).toBe(1);

    const res = await request(t.app)
      .get(`/api/v1/payments/${second.payment.id}/invoice`)
      .set(...second.member.auth)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await PDFDocument.load(res.body as Buffer);
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(pdf.getSubject()).toBe(second.payment.invoice_number);
    const text = pageText(pdf);
    expect(text).toContain(second.payment.invoice_number);
    expect(text).toContain(second.payment.transaction_id);
    expect(text).toContain('1200.00 INR');
  });

  it('is the payer’s and their society admins’ only', async () => {
    const { payment } = await paidMember();
    const stranger = await approvedMember(t, admin, societyId);
    expectProblem(
      await request(t.app)
        .get(`/api/v1/payments/${payment.id}/invoice`)
        .set(...stranger.auth),
      404,
      'payment-not-found',
    );
    expectProblem(
      await request(t.app)
        .get(`/api/v1/payments/${payment.id}/invoice`)
        .set(...otherAdmin.auth),
      404,
      'payment-not-found',
    );
    expect(
      (
        await request(t.app)
          .get(`/api/v1/payments/${payment.id}/invoice`)
          .set(...admin.auth)
      ).status,
    ).toBe(200);
  });
});

describe('refunds', () => {
  it('a full refund cancels the subscription at once', async () => {
    const { member, payment } = await paidMember();
    const res = await refund(admin, payment.id, { reason: 'Moved out of the society' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: payment.id,
      status: 'refunded',
      refund_amount: 1200,
      refunded_total: 1200,
    });
    expect(await subscriptionEligibility(t.commands).isActiveAt(member.userId, new Date())).toBe(false);
    expect((await subscriptionsOf(member))[0]).toMatchObject({ status: 'cancelled', active: false });
    expectProblem(await refund(admin, payment.id, { reason: 'again' }), 422, 'payment-fully-refunded');
  });

  it('a partial refund shortens the subscription by the refunded share of its days', async () => {
    const { member, payment } = await paidMember('300.00', 30);
    const before = (await subscriptionsOf(member))[0]!;
    const res = await refund(admin, payment.id, { reason: 'Missed ten days', amount: '100.00' });
    expect(res.body).toMatchObject({ refund_amount: 100, refunded_total: 100 });
    const after = (await subscriptionsOf(member))[0]!;
    expect(Date.parse(before.ends_at) - Date.parse(after.ends_at)).toBe(10 * 86_400_000);
    expect(after.active).toBe(true);
    expectProblem(
      await refund(admin, payment.id, { reason: 'too much', amount: '200.01' }),
      422,
      'refund-exceeds-payment',
    );
  });

  it('two full refunds at once: one refunds, the other is refused, one refund is recorded', async () => {
    const { payment } = await paidMember();
    const results = await Promise.all([
      refund(admin, payment.id, { reason: 'first' }),
      refund(admin, payment.id, { reason: 'second' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const refunds = (await t.store.readStream(`payment-${payment.id}`)).filter(
      (e) => e.type === 'PaymentRefunded',
    );
    expect(refunds).toHaveLength(1);
  });

  it('is an admin’s act: the member and other societies’ admins may not', async () => {
    const { member, payment } = await paidMember();
    const before = await t.eventCount();
    expectProblem(await refund(member, payment.id, { reason: 'please' }), 403, 'forbidden');
    expectProblem(await refund(otherAdmin, payment.id, { reason: 'mine' }), 404, 'payment-not-found');
    expect(await t.eventCount()).toBe(before);
  });
});

describe('revenue', () => {
  it('is completed payments minus refunds, in total and per month and plan', async () => {
    const { admin: a, societyId: s } = await societyIn(t, 'Asia/Kolkata');
    const plan = await createPlan(t, a, s, { price: '999.99' });
    const payFor = async () => {
      const m = await approvedMember(t, a, s);
      await subscribe(t, m, m.userId, plan.id);
      return (await pay(t, m, { member_id: m.userId, subscription_id: plan.id, amount: '999.99' })).body
        .id as string;
    };
    const [p1] = [await payFor(), await payFor()];
    const failing = await approvedMember(t, a, s);
    await subscribe(t, failing, failing.userId, plan.id);
    await pay(t, failing, {
      member_id: failing.userId,
      subscription_id: plan.id,
      amount: '999.99',
      transaction_id: `fail_${Date.now()}`,
    });
    const refunded = await refund(a, p1!, { reason: 'goodwill', amount: '0.33' });

    const res = await request(t.app)
      .get(`/api/v1/societies/${s}/revenue`)
      .query({ min_position: refunded.headers['arcfit-position'] })
      .set(...a.auth);
    expect(res.status).toBe(200);
    // Summed exactly (as decimals), answered as the spec's JSON numbers.
    expect(res.body).toMatchObject({ id: s, revenue: 1999.65, currency: 'INR' });
    expect(res.body.totals).toEqual([{ currency: 'INR', revenue: 1999.65 }]);
    expect(res.body.breakdown).toEqual([
      expect.objectContaining({ plan_id: plan.id, completed: 1999.98, refunded: 0.33, net: 1999.65 }),
    ]);
    // The society's own record carries the same figure (the spec's revenue_details).
    const society = await request(t.app)
      .get(`/api/v1/societies/${s}`)
      .query({ min_position: refunded.headers['arcfit-position'] })
      .set(...a.auth);
    expect(society.status).toBe(200);
    expect(society.body).toMatchObject({ revenue: 1999.65, revenue_details: 1999.65 });
    const listed = await request(t.app)
      .get('/api/v1/societies')
      .query({ limit: 100 })
      .set(...a.auth);
    expect(listed.body.find((x: { id: string }) => x.id === s)).toMatchObject({ revenue: 1999.65 });
    expectProblem(
      await request(t.app)
        .get(`/api/v1/societies/${s}/revenue`)
        .set(...admin.auth),
      403,
      'forbidden',
    );
  });
});
