import type { Router } from 'express';
import { SIGNATURE_HEADER, verifySignature } from '../../commands/billing/gateway/webhookSignature';
import { applyWebhookNotice } from '../../commands/billing/webhookCommands';
import { publicAccess } from '../auth/access';
import type { ApiDependencies } from '../dependencies';
import { commandMetadata } from '../http/commandMetadata';
import { POSITION_HEADER } from '../http/readYourWrites';
import { formatPosition } from '../../events/store/position';
import { HttpProblem, RequestValidationError } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { z } from '../openapi/zod';
import type { BillingDependencies } from './billingDependencies';
import { webhookAckSchema, webhookPayloadSchema } from './billingSchemas';
import { rawBodyOf } from './rawBody';
import { webhookNoticeSchema, webhookSignatureDescription } from './webhookContract';
import { API_BASE } from '../http/basePath';

const rejected = (slug: string, title: string, detail: string) => new HttpProblem(401, slug, title, detail);

export const webhookRoutes = (
  deps: ApiDependencies,
  billing: BillingDependencies,
  book: RouteBook,
  router: Router,
): void => {
  addRoute(router, book, API_BASE, {
    method: 'post',
    path: '/payments/webhook',
    summary: 'The payment provider’s signed notices (Stripe-style `t=…,v1=…` HMAC-SHA256 over "t.body")',
    tags: ['Payments'],
    access: publicAccess,
    description: webhookSignatureDescription(billing.webhook.toleranceSeconds),
    // Documented, not parsed by addRoute: the signature is verified over the raw bytes first.
    rawBody: webhookNoticeSchema,
    // Optional to the schema: a delivery without it is an unsigned delivery (401), not a malformed request.
    headers: z.object({
      [SIGNATURE_HEADER]: z.string().max(1000).optional().openapi({
        description: 'Required: unsigned deliveries are refused',
        example: 't=1738238400,v1=5257a869…',
      }),
    }),
    responses: {
      200: json(webhookAckSchema, 'Applied, or recognised as a delivery already applied'),
      ...problems(400, 401, 404, 503),
    },
    handler: async ({ req }) => {
      const { secret, toleranceSeconds } = billing.webhook;
      if (!secret)
        throw new HttpProblem(
          503,
          'webhook-not-configured',
          'Webhooks are not configured',
          'Set PAYMENT_WEBHOOK_SECRET.',
        );
      const raw = rawBodyOf(req);
      if (!raw)
        throw new HttpProblem(
          400,
          'validation-error',
          'The request is not valid',
          'A JSON body is required.',
        );
      const signature = req.get(SIGNATURE_HEADER);
      if (!signature)
        throw rejected(
          'webhook-signature-invalid',
          'The webhook signature does not verify',
          'The delivery carries no Arcfit-Signature header; only deliveries signed with the shared webhook secret are accepted.',
        );
      const verdict = verifySignature(secret, raw, signature, billing.clock(), toleranceSeconds);
      if (verdict === 'malformed' || verdict === 'mismatch')
        throw rejected(
          'webhook-signature-invalid',
          'The webhook signature does not verify',
          verdict === 'malformed'
            ? 'The Arcfit-Signature header must read t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">.'
            : 'No v1 signature matches the body under the configured secret: sign the raw body as sent, with the shared webhook secret.',
        );
      if (verdict === 'stale')
        throw rejected(
          'webhook-timestamp-stale',
          'The webhook timestamp is outside the tolerance',
          `Signed more than ${toleranceSeconds} s from now: check the sender’s clock, and sign each delivery when it is sent.`,
        );
      const payload = webhookPayloadSchema.safeParse(req.body);
      // Signed but not a notice we can read: the same problem, with the same errors[], as any body.
      if (!payload.success) throw new RequestValidationError('body', payload.error);
      const { id, type, data } = payload.data;
      // Verified but about something we do not handle: acknowledged so the provider stops retrying.
      if (type !== 'payment.succeeded' && type !== 'payment.failed')
        return { status: 200, body: { received: true, duplicate: false } };
      const result = await applyWebhookNotice(
        deps.commands,
        {
          deliveryId: id,
          type,
          transactionId: data.transaction_id,
          reference: data.reference,
          reason: data.failure_reason,
        },
        { ...commandMetadata(req, 'ApplyWebhookNotice'), actor: { id: 'payment-gateway', role: 'system' } },
      );
      if (result.outcome === 'duplicate') return { status: 200, body: { received: true, duplicate: true } };
      // The position lets a client (or a test) read the settled payment back.
      const headers: Record<string, string> = result.position
        ? { [POSITION_HEADER]: formatPosition(result.position) }
        : {};
      return { status: 200, headers, body: { received: true, duplicate: false } };
    },
  });
};
