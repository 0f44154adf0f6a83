import { idParams, memberIdParams } from '../http/requestSchemas';
import { memberNotFound } from '../members/memberNotFound';
import type { Router } from 'express';
import { payForSubscription } from '../../commands/billing/paymentCommands';
import { refundPayment } from '../../commands/billing/refundCommands';
import { subscribeMember } from '../../commands/billing/subscriptionCommands';
import { loadMember } from '../../commands/members/memberCommands';
import { formatInvoiceNumber } from '../../events/billing/paymentEvents';
import { formatPosition, type Position } from '../../events/store/position';
import {
  findMemberSubscription,
  findPayment,
  listMemberPayments,
  listMemberSubscriptions,
} from '../../projections/billing/billingQueries';
import { findMember } from '../../projections/members/memberQueries';
import { findSociety } from '../../projections/societies/societyQueries';
import { canAdminister, forbidden, rolesOnly, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { answerCommand } from '../http/answerCommand';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { decodeCursor, encodeCursor } from '../http/keysetCursor';
import { listAnswer } from '../http/listAnswer';
import { POSITION_HEADER } from '../http/readYourWrites';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';
import type { BillingDependencies } from './billingDependencies';
import { money, toMemberSubscription, toPayment } from './billingPresenters';
import { paymentFailed } from './paymentFailed';
import {
  createPaymentBody,
  memberSubscriptionListSchema,
  paymentListQuery,
  paymentListSchema,
  paymentSchema,
  refundBody,
  refundSchema,
  subscribeBody,
  subscribedSchema,
} from './billingSchemas';
import { renderInvoicePdf } from './invoicePdf';
import { API_BASE } from '../http/basePath';

/** A self-registered member's id is their user id: that is how "the member themself" is known. */
const mayActFor = (principal: Principal, member: { id: string; societyId: string }) =>
  principal.userId === member.id || canAdminister(principal, member.societyId);

/** Callers who may not see a member (or their payments) are told it does not exist. */
const paymentNotFound = (id: string) =>
  new HttpProblem(404, 'payment-not-found', 'Payment not found', `No payment ${id}`);

export const paymentRoutes = (
  deps: ApiDependencies,
  billing: BillingDependencies,
  book: RouteBook,
  router: Router,
): void => {
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;
  const accepted = json(acceptedSchema, 'Recorded, read side catching up');

  /** `createdFor`: the member whose payment history now lists it (the Location of a new payment). */
  const answerWithPayment = (id: string, position: Position | undefined, createdFor?: string) =>
    answerCommand(readYourWrites, {
      id,
      position,
      location: createdFor ? `${base}/payments/${createdFor}` : undefined,
      load: () => findPayment(knex, id),
      present: toPayment,
    });

  addRoute(router, book, base, {
    method: 'post',
    path: '/members/{id}/subscribe',
    summary: 'Subscribe a member to a plan; active once its payment completes (POST /payments)',
    tags: ['Subscriptions'],
    access: signedIn('the member themself or an admin of their society; others get 404'),
    params: idParams,
    body: subscribeBody,
    responses: {
      201: json(subscribedSchema, 'Subscribed, awaiting payment'),
      202: accepted,
      ...problems(400, 401, 404, 409, 422, 503),
    },
    handler: async ({ params, body, req, principal }) => {
      const member = await loadMember(commands, params.id);
      if (!member.exists || !mayActFor(principal, { id: params.id, societyId: member.societyId }))
        throw memberNotFound(params.id);
      const metadata = commandMetadata(req, 'RequestSubscription');
      const subscriptionId = newEntityId(metadata);
      const { outcome } = await subscribeMember(
        commands,
        { subscriptionId, memberId: params.id, planId: body.subscription_id, changePlan: body.change_plan },
        metadata,
      );
      return answerCommand(readYourWrites, {
        id: subscriptionId,
        position: outcome.position,
        location: `${base}/members/${params.id}/subscriptions`,
        load: () => findMemberSubscription(knex, subscriptionId),
        present: (row) => ({
          id: params.id,
          subscription_id: row.plan_id,
          status: member.status,
          member_subscription_id: row.id,
          subscription_status: row.status,
          amount_due: money(row.price),
          currency: row.currency,
          updated_at: row.updated_at.toISOString(),
        }),
      });
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/members/{id}/subscriptions',
    summary: 'A member’s subscriptions, with whether each is active now',
    tags: ['Subscriptions'],
    access: signedIn('the member themself or an admin of their society; others get 404'),
    params: idParams,
    query: paymentListQuery.pick({ min_position: true }),
    responses: { 200: json(memberSubscriptionListSchema, 'Oldest first'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, req, principal }) => {
      const member = await findMember(knex, params.id);
      if (!member || !mayActFor(principal, { id: member.id, societyId: member.society_id }))
        throw memberNotFound(params.id);
      const now = billing.clock();
      const rows = await listMemberSubscriptions(knex, params.id);
      return listAnswer(
        req,
        rows.map((r) => toMemberSubscription(r, now)),
        null,
      );
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/payments',
    summary:
      'Pay for the member’s subscription awaiting payment on a plan; a repeated transaction_id answers with the first payment',
    tags: ['Payments'],
    access: signedIn(
      'the member themself or an admin of their society; cash and upi records by an admin only',
    ),
    body: createPaymentBody,
    responses: {
      200: json(
        paymentSchema,
        'Processed (completed at once with the default gateway, or pending until the provider confirms); ' +
          'a transaction id seen before answers with the first payment, as it stands',
      ),
      202: accepted,
      ...problems(400, 401, 403, 404, 409, 422, 503),
    },
    handler: async ({ body, req, principal }) => {
      const member = await loadMember(commands, body.member_id);
      if (!member.exists || !mayActFor(principal, { id: body.member_id, societyId: member.societyId }))
        throw memberNotFound(body.member_id);
      if (body.method !== 'online' && !canAdminister(principal, member.societyId))
        throw forbidden('Only an admin of the member’s society records cash or UPI received.');
      const metadata = commandMetadata(req, 'PayForSubscription');
      const result = await payForSubscription(
        commands,
        billing.gateways,
        {
          paymentId: newEntityId(metadata),
          memberId: body.member_id,
          planId: body.subscription_id,
          amount: body.amount,
          transactionId: body.transaction_id,
          method: body.method,
        },
        metadata,
      );
      const answer = await answerWithPayment(
        result.paymentId,
        result.position,
        result.repeated ? undefined : body.member_id,
      );
      if (answer.status === 202) return answer;
      // The spec's answers: 200 OK when processed, 400 "Payment failed" when the provider declined.
      const payment = answer.body as ReturnType<typeof toPayment>;
      if (payment.payment_status === 'failed') throw paymentFailed(payment, answer.headers ?? {});
      return { ...answer, status: 200 };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/payments/{member_id}',
    summary: 'A member’s payment history, newest first',
    tags: ['Payments'],
    access: signedIn('the member themself or an admin of their society; others get 404'),
    params: memberIdParams,
    query: paymentListQuery,
    responses: { 200: json(paymentListSchema, 'A page of payments'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, query, req, principal }) => {
      const member = await findMember(knex, params.member_id);
      if (!member || !mayActFor(principal, { id: member.id, societyId: member.society_id }))
        throw memberNotFound(params.member_id);
      const rows = await listMemberPayments(knex, {
        memberId: params.member_id,
        limit: query.limit + 1,
        before: query.cursor ? decodeCursor(query.cursor) : undefined,
      });
      const page = rows.slice(0, query.limit);
      return listAnswer(
        req,
        page.map(toPayment),
        rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null,
      );
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/payments/{id}/invoice',
    summary: 'The invoice of a completed payment, as a PDF (numbered per society, no gaps)',
    tags: ['Payments'],
    access: signedIn('the member who paid or an admin of their society; others get 404'),
    params: idParams,
    query: paymentListQuery.pick({ min_position: true }),
    responses: {
      200: {
        description: 'The invoice',
        content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
      },
      ...problems(400, 401, 404, 503),
    },
    handler: async ({ params, res, principal }) => {
      const payment = await findPayment(knex, params.id);
      if (!payment || !mayActFor(principal, { id: payment.member_id, societyId: payment.society_id }))
        throw paymentNotFound(params.id);
      if (payment.invoice_number === null)
        throw new HttpProblem(
          404,
          'invoice-not-issued',
          'No invoice yet',
          'Invoices are issued when a payment completes.',
        );
      const [society, member, subscription] = await Promise.all([
        findSociety(knex, payment.society_id),
        findMember(knex, payment.member_id),
        findMemberSubscription(knex, payment.member_subscription_id),
      ]);
      const invoiceNumber = formatInvoiceNumber(payment.invoice_number);
      const pdf = await renderInvoicePdf({
        invoiceNumber,
        issuedAt: payment.invoice_issued_at ?? payment.payment_date ?? payment.created_at,
        society: { name: society?.name ?? payment.society_id, location: society?.location ?? '' },
        member: { name: member?.name ?? payment.member_id, email: member?.email ?? '' },
        plan: { name: payment.plan_name, durationInDays: subscription?.duration_in_days ?? 0 },
        period: {
          startsAt: subscription?.starts_at ?? null,
          endsAt: subscription?.ends_at ?? null,
          timeZone: payment.time_zone,
        },
        amount: payment.amount,
        currency: payment.currency,
        refunded: payment.refunded_amount,
        transactionId: payment.transaction_id,
        paymentDate: payment.payment_date,
      });
      // The route helper answers JSON; a PDF is written here and the helper is told nothing is left to send.
      res
        .status(200)
        .type('application/pdf')
        .set('Content-Disposition', `inline; filename="${invoiceNumber}.pdf"`)
        .send(Buffer.from(pdf));
      return { status: 200 };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/payments/{id}/refund',
    summary:
      'Refund a completed payment in full or in part; a full refund cancels the subscription, a partial one shortens it',
    tags: ['Payments'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the payment’s society; others get 404'),
    params: idParams,
    body: refundBody,
    responses: {
      200: json(refundSchema, 'Refunded'),
      202: accepted,
      ...problems(400, 401, 404, 409, 422, 503),
    },
    handler: async ({ params, body, req, principal }) => {
      const payment = await findPayment(knex, params.id);
      if (!payment || !canAdminister(principal, payment.society_id)) throw paymentNotFound(params.id);
      const metadata = commandMetadata(req, 'RefundPayment');
      const refundId = newEntityId(metadata);
      const outcome = await refundPayment(
        commands,
        billing.gateways,
        {
          paymentId: params.id,
          refundId,
          amount: body.amount ?? null,
          reason: body.reason,
          refundedBy: principal.userId,
        },
        metadata,
      );
      const event = outcome.refund;
      const answer = await answerWithPayment(params.id, outcome.position);
      if (answer.status !== 200 || !event) return answer;
      const row = (await findPayment(knex, params.id))!;
      return {
        status: 200,
        headers: outcome.position ? { [POSITION_HEADER]: formatPosition(outcome.position) } : {},
        body: {
          id: row.id,
          status: row.payment_status,
          refund_id: event.refundId,
          refund_amount: money(event.amount),
          refunded_total: money(event.totalRefunded),
          reason: event.reason,
          created_at: row.created_at.toISOString(),
          updated_at: row.updated_at.toISOString(),
        },
      };
    },
  });
};
