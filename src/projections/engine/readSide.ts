import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { EventStore } from '../../events/store/eventStore';
import type { ProjectionDefinition } from './projection';
import { ProjectionEngine, type RunnerOptions } from './projectionEngine';
import { PositionWaiter } from './positionWaiter';

/**
 * The engine and the waiter, wired together: checkpoints moved in this process reach waiters at
 * once (forgetting that link would quietly turn read-your-writes into NOTIFY round trips).
 */
export const createReadSide = async (
  knex: Knex,
  store: EventStore,
  projections: readonly ProjectionDefinition[],
  logger: Logger,
  options: { connectionString?: string; waiterPollMs?: number; runner?: Partial<RunnerOptions> } = {},
) => {
  const engine = new ProjectionEngine(knex, store, projections, logger, options.runner);
  const waiter = new PositionWaiter(knex, options.connectionString, options.waiterPollMs);
  engine.onAdvance((checkpoint) => waiter.absorb(checkpoint));
  await engine.prepare();
  await waiter.start();
  return { engine, waiter };
};
