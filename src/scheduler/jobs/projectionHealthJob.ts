import type { Logger } from 'pino';
import type { ProjectionEngine } from '../../projections/engine/projectionEngine';
import type { Job } from '../job';

/** Every minute: record how far each projection is behind, and warn when one is stuck. */
export const projectionHealthJob = (
  engine: Pick<ProjectionEngine, 'lag'>,
  logger: Logger,
  maxLagSeconds = 30,
): Job => ({
  name: 'projection_health',
  schedule: '* * * * *',
  run: async () => {
    const lag = await engine.lag();
    const behind = lag.filter((p) => p.status === 'active' && p.lagSeconds > maxLagSeconds);
    if (behind.length) logger.warn({ behind }, 'projections behind');
    return lag
      .map(
        (p) => `${p.name}@v${p.version}: ${p.caughtUp ? 'caught up' : `${p.lagSeconds.toFixed(1)} s behind`}`,
      )
      .join('; ');
  },
});
