import { WEBHOOK_EVENT_TYPE_NAMES } from '../../events/webhooks/webhookEventTypes';
import { z } from '../openapi/zod';

export const createWebhookBody = z
  .strictObject({
    url: z.string().trim().max(2000).url().openapi({ example: 'https://hooks.example.com/arcfit' }),
    event_types: z
      .array(z.enum(WEBHOOK_EVENT_TYPE_NAMES))
      .min(1)
      .max(WEBHOOK_EVENT_TYPE_NAMES.length)
      .transform((types) => [...new Set(types)]),
  })
  .openapi('CreateWebhook');

export const webhookSchema = z
  .object({
    id: z.string().uuid(),
    society_id: z.string().uuid(),
    url: z.string(),
    event_types: z.array(z.string()),
    active: z.boolean(),
    created_at: z.string(),
    secret: z
      .string()
      .optional()
      .openapi({ description: 'Only in the answer to its creation: the HMAC key of ArcFit-Signature' }),
  })
  .openapi('Webhook');

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) }).openapi('WebhookList');

export const webhookDeliverySchema = z
  .object({
    id: z.string().uuid(),
    event_id: z.string().uuid(),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    next_attempt_at: z.string(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('WebhookDelivery');

export const webhookDeliveriesSchema = z
  .object({ deliveries: z.array(webhookDeliverySchema) })
  .openapi('WebhookDeliveries');
