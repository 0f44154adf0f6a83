import { Router } from 'express';
import type { ApiDependencies } from '../dependencies';
import type { RouteBook } from '../http/route';
import { defaultBilling } from './billingDependencies';
import { paymentRoutes } from './paymentRoutes';
import { planRoutes } from './planRoutes';
import { revenueRoutes } from './revenueRoutes';
import { webhookRoutes } from './webhookRoutes';

/** Plans, subscribe, payments, refunds, invoices, the provider's webhook, society revenue. */
export const billingRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const billing = deps.billing ?? defaultBilling();
  // The webhook first: its literal path must win over /payments/{member_id}-style patterns.
  webhookRoutes(deps, billing, book, router);
  planRoutes(deps, book, router);
  paymentRoutes(deps, billing, book, router);
  revenueRoutes(deps, book, router);
  return router;
};
