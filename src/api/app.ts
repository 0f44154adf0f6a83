import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDependencies } from './dependencies';
import { errorHandler, notFoundHandler } from './http/errorHandler';
import { createMetrics } from './http/metrics';
import { healthRoutes } from './health/healthRoutes';
import { openapiRoutes } from './openapi/openapiRoutes';
import { societyRoutes } from './societies/societyRoutes';
import { trainerRoutes } from './trainers/trainerRoutes';
import { memberRoutes } from './members/memberRoutes';
import { classRoutes } from './classes/classRoutes';
import { bookingRoutes } from './booking/bookingRoutes';
import { scheduleRoutes } from './schedules/scheduleRoutes';
import { authRoutes } from './auth/authRoutes';
import { notificationRoutes } from './notifications/notificationRoutes';
import { jobRoutes } from './jobs/jobRoutes';
import { webhookRoutes } from './webhooks/webhookRoutes';
import { auditRoutes } from './audit/auditRoutes';
import { analyticsRoutes } from './analytics/analyticsRoutes';
import { billingRoutes } from './billing/billingRoutes';
import { keepRawBody } from './billing/rawBody';
import { authenticate } from './auth/authenticate';
import { newRouteBook, type RouteBook } from './http/route';
import { jsonBodiesOnly } from './http/jsonBodiesOnly';
import { refuseOptions } from './http/optionsRequests';
import type { TrustProxy } from './http/trustProxy';
import { API_BASE } from './http/basePath';

export interface AppOptions {
  /** /ready reports not ready when a serving projection is further behind than this. */
  maxProjectionLagSeconds?: number;
  /** Which proxies may name the client in X-Forwarded-For (TRUST_PROXY); default none. */
  trustProxy?: TrustProxy;
}

const REQUEST_ID = /^[\w.-]{1,100}$/;

/** The HTTP edge: parse, authorise, run a command or a query, map the result. */
export const createApp = (deps: ApiDependencies, options: AppOptions = {}) => {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.set('query parser', 'simple');

  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  // Lazily: the offline route book (reference docs) has no read side to wait on.
  const book = newRouteBook(registry, deps.identity.idempotency, (req) =>
    deps.readYourWrites.awaitRequested(req),
  );
  const metrics = createMetrics(deps.projections);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // Method, URL and status are what an operator reads; headers would carry tokens.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  // The docs page sets its own Content-Security-Policy (openapiRoutes); JSON answers need none.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(metrics.middleware);
  app.use(refuseOptions(book, ['/health', '/ready', '/metrics', '/api/v1/openapi.json']));
  app.use(jsonBodiesOnly);
  // keepRawBody: the payment webhook's signature is over the bytes as sent.
  app.use(express.json({ limit: '100kb', strict: true, verify: keepRawBody }));

  app.use(healthRoutes(deps, metrics.registry, options.maxProjectionLagSeconds ?? 30));
  app.use(authenticate(deps.knex, deps.identity.tokens));
  app.use(openapiRoutes(registry));
  app.use(API_BASE, authRoutes(deps, book));
  app.use(API_BASE, societyRoutes(deps, book));
  app.use(API_BASE, trainerRoutes(deps, book));
  app.use(API_BASE, memberRoutes(deps, book));
  app.use(API_BASE, classRoutes(deps, book));
  app.use(API_BASE, bookingRoutes(deps, book));
  app.use(API_BASE, scheduleRoutes(deps, book));

  app.use(API_BASE, notificationRoutes(deps, book));
  app.use(API_BASE, jobRoutes(deps, book));
  app.use(API_BASE, webhookRoutes(deps, book));
  app.use(API_BASE, auditRoutes(deps, book));
  app.use(API_BASE, analyticsRoutes(deps, book));
  app.use(API_BASE, billingRoutes(deps, book));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return Object.assign(app, { routeBook: book as RouteBook });
};
