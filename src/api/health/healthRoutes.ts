import { Router } from 'express';
import client from 'prom-client';
import type { ApiDependencies } from '../dependencies';
import { formatPosition } from '../../events/store/position';
import { requireMetricsToken } from './metricsToken';

/** Liveness, readiness (database, event store, projection lag) and Prometheus metrics (behind METRICS_TOKEN). */
export const healthRoutes = (
  deps: ApiDependencies,
  metrics: client.Registry,
  maxLagSeconds: number,
): Router => {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    const check = async <T>(fn: () => Promise<T>) => {
      try {
        return { ok: true as const, value: await fn() };
      } catch (error) {
        return { ok: false as const, error: (error as Error).message };
      }
    };
    const [database, eventStore, lag] = await Promise.all([
      check(() => deps.knex.raw('SELECT 1')),
      check(() => deps.store.ping()),
      check(() => deps.projections.lag()),
    ]);
    const projections = lag.ok
      ? lag.value.map((p) => ({
          name: p.name,
          version: p.version,
          status: p.status,
          position: formatPosition(p.position),
          lag_seconds: Number(p.lagSeconds.toFixed(3)),
          caught_up: p.caughtUp,
        }))
      : [];
    const lagging = projections.filter((p) => p.status === 'active' && p.lag_seconds > maxLagSeconds);
    const ready = database.ok && eventStore.ok && lag.ok && lagging.length === 0;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks: {
        database: database.ok ? 'ok' : database.error,
        event_store: eventStore.ok ? 'ok' : eventStore.error,
        projections: lag.ok
          ? lagging.length
            ? `behind: ${lagging.map((p) => p.name).join(', ')}`
            : 'ok'
          : lag.error,
      },
      projections,
    });
  });

  router.get('/metrics', requireMetricsToken(deps.metricsToken), async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  return router;
};
