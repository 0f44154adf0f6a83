import type { RequestHandler } from 'express';
import client from 'prom-client';
import type { ProjectionEngine } from '../../projections/engine/projectionEngine';
import { subscriptionResubscribes } from '../../events/store/subscriptionLiveness';

export const createMetrics = (projections: Pick<ProjectionEngine, 'lag'>) => {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  // Kept by the event store module (one counter per process), shown on every registry built here.
  registry.registerMetric(subscriptionResubscribes);
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new client.Gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the oldest event a projection has not applied yet (0 when caught up)',
    labelNames: ['projection', 'version'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of await projections.lag().catch(() => [])) {
        this.set({ projection: p.name, version: String(p.version) }, p.lagSeconds);
      }
    },
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The route pattern, not the URL: ids in paths would explode the label set.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
};
