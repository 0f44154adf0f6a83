import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { EventStore } from '../../events/store/eventStore';
import { comparePositions, START, type Position } from '../../events/store/position';
import { checkpointMover, readCheckpoints, type Checkpoint } from './checkpoints';
import type { ProjectionDefinition } from './projection';
import { ProjectionRunner, type RunnerOptions } from './projectionRunner';
import { createAnalystViews } from '../analytics/analystViews';

export interface ProjectionLag {
  readonly name: string;
  readonly version: number;
  readonly status: Checkpoint['status'];
  readonly position: Position;
  readonly eventsApplied: number;
  /** Age of the oldest event not yet applied; 0 when caught up. */
  readonly lagSeconds: number;
  readonly caughtUp: boolean;
}

/** Runs every projection of this process and reports how far behind each one is. */
export class ProjectionEngine {
  private readonly runners: ProjectionRunner[];
  private readonly listeners = new Set<(checkpoint: Checkpoint) => void>();

  constructor(
    private readonly knex: Knex,
    private readonly store: EventStore,
    projections: readonly ProjectionDefinition[],
    log: Logger,
    options: Partial<RunnerOptions> = {},
  ) {
    const settings: RunnerOptions = { batchSize: 500, idleMs: 1000, retryDelayMs: 1000, ...options };
    const moveCheckpoint = checkpointMover(knex);
    this.runners = projections.map(
      (p) =>
        new ProjectionRunner(
          knex,
          store,
          p,
          settings,
          log.child({ projection: p.name }),
          (checkpoint) => {
            for (const listener of this.listeners) listener(checkpoint);
          },
          moveCheckpoint,
        ),
    );
  }

  /**
   * Read tables exist before anything reads them: call before serving HTTP, so a request that
   * arrives before the first batch finds empty tables rather than missing ones.
   */
  async prepare(): Promise<void> {
    for (const runner of this.runners) await runner.prepare();
    // Analysts' views over whatever serves now (a database migrated before they existed gets them too).
    await this.knex.transaction((trx) => createAnalystViews(trx));
  }

  start(): void {
    for (const runner of this.runners) runner.start();
  }

  async close(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.close()));
  }

  /** Called with each checkpoint this process moves (the in-process fast path for waiters). */
  onAdvance(listener: (checkpoint: Checkpoint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async lag(): Promise<ProjectionLag[]> {
    const checkpoints = (await readCheckpoints(this.knex)).filter((c) => c.status !== 'retired');
    return Promise.all(
      checkpoints.map(async (c) => {
        const [next] = await this.store.readAll({ after: c.position, maxCount: 1 });
        return {
          name: c.name,
          version: c.version,
          status: c.status,
          position: c.position,
          eventsApplied: c.eventsApplied,
          lagSeconds: next ? Math.max(0, (Date.now() - next.createdAt.getTime()) / 1000) : 0,
          caughtUp: next === undefined,
        };
      }),
    );
  }
}

/** The lowest position every serving projection has reached: what a read is guaranteed to see. */
export const servingPosition = (checkpoints: readonly Checkpoint[]): Position => {
  const active = checkpoints.filter((c) => c.status === 'active');
  if (active.length === 0) return START;
  return active.map((c) => c.position).reduce((min, p) => (comparePositions(p, min) < 0 ? p : min));
};
