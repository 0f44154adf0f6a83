import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { EventStore } from '../../events/store/eventStore';
import { OtherListeners } from '../../events/otherListeners';
import type { ProjectionDefinition } from './projection';
import { ProjectionEngine, type RunnerOptions } from './projectionEngine';
import { CHECKPOINT_LISTENER, PositionWaiter } from './positionWaiter';

/**
 * The engine and the waiter, wired together: checkpoints moved in this process reach waiters at
 * once (forgetting that link would quietly turn read-your-writes into NOTIFY round trips), so
 * the engine NOTIFYs only when a waiter of another process listens (its own one excluded).
 */
export const createReadSide = async (
  knex: Knex,
  store: EventStore,
  projections: readonly ProjectionDefinition[],
  logger: Logger,
  options: { connectionString?: string; waiterPollMs?: number; runner?: Partial<RunnerOptions> } = {},
) => {
  const listeners = new OtherListeners(
    // OtherListeners speaks pg's `$1`; knex.raw takes `?`.
    { query: async (text, values) => knex.raw(text.replace(/\$\d+/g, '?'), values as Knex.RawBinding[]) },
    CHECKPOINT_LISTENER,
  );
  const engine = new ProjectionEngine(knex, store, projections, logger, options.runner, listeners);
  const waiter = new PositionWaiter(
    knex,
    options.connectionString,
    options.waiterPollMs,
    listeners.applicationName,
  );
  engine.onAdvance((checkpoint) => waiter.absorb(checkpoint));
  await engine.prepare();
  await waiter.start();
  return { engine, waiter };
};
