import { idParams } from '../http/requestSchemas';
import { randomBytes, randomUUID } from 'node:crypto';
import { Router } from 'express';
import { refuseWebhookTarget } from '../../commands/webhooks/webhookTargetPolicy';
import { assertAdministers, rolesOnly } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import {
  createWebhookBody,
  webhookDeliveriesSchema,
  webhookListSchema,
  webhookSchema,
} from './webhookSchemas';
import { API_BASE } from '../http/basePath';

interface SubscriptionRow {
  id: string;
  society_id: string;
  url: string;
  event_types: string[];
  secret: string;
  active: boolean;
  created_at: Date;
}

const present = (row: SubscriptionRow) => ({
  id: row.id,
  society_id: row.society_id,
  url: row.url,
  event_types: row.event_types,
  active: row.active,
  created_at: row.created_at.toISOString(),
});

const admins = rolesOnly(['society_admin', 'super_admin'], 'an admin of the society');

/** Outgoing webhooks: a society admin registers HTTPS endpoints for chosen facts and watches deliveries. */
export const webhookRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex } = deps;
  const base = API_BASE;

  /** A webhook of a society the caller administers; any other is "not found", so ids do not leak. */
  const ownWebhook = async (principal: Principal, id: string): Promise<SubscriptionRow> => {
    const row: SubscriptionRow | undefined = await knex('webhook_subscriptions').where({ id }).first();
    if (!row || !(principal.role === 'super_admin' || principal.societies.includes(row.society_id))) {
      throw new HttpProblem(404, 'webhook-not-found', 'Webhook not found', `No webhook ${id}`);
    }
    return row;
  };

  addRoute(router, book, base, {
    method: 'post',
    path: '/societies/{id}/webhooks',
    summary:
      'Register an HTTPS endpoint for chosen facts (signed with HMAC-SHA256; the secret is shown once)',
    tags: ['Webhooks'],
    access: admins,
    params: idParams,
    body: createWebhookBody,
    responses: { 201: json(webhookSchema, 'Registered'), ...problems(400, 401, 403, 422) },
    handler: async ({ params, body, principal }) => {
      assertAdministers(principal, params.id);
      const refused = await refuseWebhookTarget(body.url, deps.webhookPolicy);
      if (refused)
        throw new HttpProblem(422, 'webhook-url-not-allowed', 'This URL may not receive webhooks', refused);
      const row: SubscriptionRow = {
        id: randomUUID(),
        society_id: params.id,
        url: body.url,
        event_types: body.event_types,
        secret: randomBytes(32).toString('base64url'),
        active: true,
        created_at: new Date(),
      };
      await knex('webhook_subscriptions').insert({ ...row, created_by: principal.userId });
      return {
        status: 201,
        headers: { Location: `${base}/webhooks/${row.id}` },
        body: { ...present(row), secret: row.secret },
      };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/societies/{id}/webhooks',
    summary: 'A society’s webhooks (secrets are never shown again)',
    tags: ['Webhooks'],
    access: admins,
    params: idParams,
    responses: { 200: json(webhookListSchema, 'Webhooks'), ...problems(400, 401, 403) },
    handler: async ({ params, principal }) => {
      assertAdministers(principal, params.id);
      const rows: SubscriptionRow[] = await knex('webhook_subscriptions')
        .where({ society_id: params.id })
        .orderBy('created_at');
      return { status: 200, body: { webhooks: rows.map(present) } };
    },
  });

  addRoute(router, book, base, {
    method: 'delete',
    path: '/webhooks/{id}',
    summary: 'Stop a webhook (pending deliveries are not sent)',
    tags: ['Webhooks'],
    access: admins,
    params: idParams,
    responses: { 204: { description: 'Stopped' }, ...problems(400, 401, 403, 404) },
    handler: async ({ params, principal }) => {
      await ownWebhook(principal, params.id);
      await knex('webhook_subscriptions').where({ id: params.id }).update({ active: false });
      return { status: 204 };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    summary: 'A webhook’s latest deliveries with their status, attempts and last answer',
    tags: ['Webhooks'],
    access: admins,
    params: idParams,
    responses: { 200: json(webhookDeliveriesSchema, 'Deliveries'), ...problems(400, 401, 403, 404) },
    handler: async ({ params, principal }) => {
      await ownWebhook(principal, params.id);
      const rows = await knex('webhook_deliveries')
        .where({ subscription_id: params.id })
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(100);
      return {
        status: 200,
        body: {
          deliveries: rows.map((d) => ({
            id: d.id,
            event_id: d.event_id,
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at.toISOString(),
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            delivered_at: d.delivered_at?.toISOString() ?? null,
            created_at: d.created_at.toISOString(),
          })),
        },
      };
    },
  });

  return router;
};
