import type { Knex } from 'knex';
import pino from 'pino';
import type { EventStore } from '../../src/events/store/eventStore';
import { comparePositions } from '../../src/events/store/position';
import type { ProjectionDefinition } from '../../src/projections/engine/projection';
import { ProjectionEngine } from '../../src/projections/engine/projectionEngine';

/**
 * The API's own read side catching up from position zero: a ProjectionEngine over every
 * projection, started on empty read tables, timed until every checkpoint has reached the head of
 * `$all`. This is what /ready waits for after a deploy on a fresh database; the full rebuild
 * above is the same work done by the CLI.
 */
export const measureEngineCatchUp = async (
  knex: Knex,
  store: EventStore,
  projections: readonly ProjectionDefinition[],
  batchSize: number,
): Promise<{ events: number; seconds: number }> => {
  const head = await store.headPosition();
  const engine = new ProjectionEngine(knex, store, projections, pino({ level: 'silent' }), {
    batchSize,
  });
  await engine.prepare();
  const behind = new Set(projections.map((p) => `${p.name}_v${p.version}`));
  const caughtUp = new Promise<void>((resolve) => {
    engine.onAdvance((checkpoint) => {
      if (comparePositions(checkpoint.position, head) >= 0)
        behind.delete(`${checkpoint.name}_v${checkpoint.version}`);
      if (behind.size === 0) resolve();
    });
  });
  const started = performance.now();
  engine.start();
  await caughtUp;
  const seconds = (performance.now() - started) / 1000;
  await engine.close();
  const [row] = (
    await knex.raw<{ rows: Array<{ n: string }> }>(
      `SELECT min(events_applied)::bigint AS n FROM projection_checkpoints WHERE status = 'active'`,
    )
  ).rows;
  return { events: Number(row?.n ?? 0), seconds };
};
