import type { Knex } from 'knex';
import type { RecordedEvent } from '../../events/store/eventStore';
import { comparePositions, type Position } from '../../events/store/position';
import { advanceCheckpoints, type Checkpoint } from './checkpoints';
import type { ProjectionRunner } from './projectionRunner';

/** A runner as the engine sees it: taking the tail's batches, or catching up on its own. */
export interface Lane {
  readonly runner: ProjectionRunner;
  following: boolean;
  /** Its own work still under way (an apply that outlived the stall deadline, its catch-up). */
  busy?: Promise<void>;
}

export interface FanOutContext {
  readonly knex: Knex;
  /** How long the others wait for one runner's batch before going on without it. */
  readonly stallMs: number;
  readonly onAdvance: (checkpoint: Checkpoint) => void;
  /** Takes the lane out of the fan-out; it catches up from its own checkpoint and comes back. */
  readonly fallBehind: (lane: Lane, why: unknown) => void;
}

class StalledError extends Error {
  constructor(name: string, ms: number) {
    super(`${name} took longer than ${ms} ms over one batch; the others went on without it`);
  }
}

/**
 * Hands one batch (the events after `after`) to every following runner at once. Runners that
 * react to some of it each apply their events and move their checkpoint in one transaction of
 * their own, side by side; runners with nothing to apply move their checkpoints together in one
 * statement. Why together: every runner sees every event, and most events concern one or two
 * read models — one statement per idle runner was a third of all statements under booking load.
 * A runner that fails (or stalls past `stallMs`) falls behind alone; the others go on.
 */
export const fanOut = async (
  events: readonly RecordedEvent[],
  after: Position,
  lanes: readonly Lane[],
  context: FanOutContext,
): Promise<void> => {
  const idle: Array<{ lane: Lane; unseen: readonly RecordedEvent[] }> = [];
  const applying: Array<Promise<void>> = [];
  for (const lane of lanes) {
    if (!lane.following) continue;
    if (comparePositions(lane.runner.checkpoint.position, after) < 0) {
      // Would leave a gap between its checkpoint and this batch: it reads that part itself.
      context.fallBehind(lane, new Error(`${lane.runner.projection.name} is behind the tail`));
      continue;
    }
    const unseen = lane.runner.unseen(events);
    if (unseen.length === 0) continue;
    if (lane.runner.reactsTo(unseen)) applying.push(applyWithin(lane, unseen, context));
    else idle.push({ lane, unseen });
  }
  await Promise.all([moveIdle(idle, context), ...applying]);
};

const moveIdle = async (
  idle: ReadonlyArray<{ lane: Lane; unseen: readonly RecordedEvent[] }>,
  context: FanOutContext,
): Promise<void> => {
  if (idle.length === 0) return;
  let moved: boolean[];
  try {
    moved = await advanceCheckpoints(
      context.knex,
      idle.map(({ lane, unseen }) => lane.runner.idleMove(unseen)!),
    );
  } catch (error) {
    for (const { lane } of idle) context.fallBehind(lane, error);
    return;
  }
  idle.forEach(({ lane, unseen }, i) => {
    try {
      context.onAdvance(lane.runner.settleIdleMove(unseen, moved[i]!));
    } catch (error) {
      context.fallBehind(lane, error);
    }
  });
};

const applyWithin = async (
  lane: Lane,
  unseen: readonly RecordedEvent[],
  context: FanOutContext,
): Promise<void> => {
  const work = lane.runner.apply(unseen, context.onAdvance);
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<'stalled'>((resolve) => {
    timer = setTimeout(() => resolve('stalled'), context.stallMs);
  });
  try {
    const outcome = await Promise.race([work, stalled]);
    if (outcome === 'stalled') {
      // It carries on in the background; its catch-up starts once this batch settles.
      lane.busy = work.then(
        () => undefined,
        () => undefined,
      );
      context.fallBehind(lane, new StalledError(lane.runner.projection.name, context.stallMs));
    }
  } catch (error) {
    context.fallBehind(lane, error);
  } finally {
    clearTimeout(timer);
  }
};
