import type { Logger } from 'pino';
import type { EventStore } from '../../events/store/eventStore';
import { comparePositions, type Position } from '../../events/store/position';
import type { Checkpoint } from './checkpoints';
import type { Lane } from './fanOut';
import { pause } from './pause';

export interface LaneCatchUpContext {
  readonly store: EventStore;
  readonly pageSize: number;
  readonly retryDelayMs: number;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly onAdvance: (checkpoint: Checkpoint) => void;
  /** How far the engine's tail has handed batches out: a lane at or past it may rejoin. */
  readonly handedOutTo: () => Position;
}

/**
 * A runner that fell out of the fan-out (its batch failed, stalled, or its checkpoint was moved
 * by a rebuild) catches up on its own: after `retryDelayMs` it reloads its checkpoint and reads
 * `$all` pages from there (the caller first lets any batch it still has under way settle) — no event is lost to it — until it stands at or past what the tail
 * has handed out, then takes the tail's batches again. The others never wait for it.
 */
export const catchUpLane = async (lane: Lane, context: LaneCatchUpContext): Promise<void> => {
  const { runner } = lane;
  const { store, pageSize, signal } = context;
  await pause(context.retryDelayMs, signal);
  while (!signal.aborted) {
    try {
      await runner.prepare();
      for (;;) {
        // Rejoin between two hand-outs: the tail's next batch starts where this one stands.
        if (comparePositions(runner.checkpoint.position, context.handedOutTo()) >= 0) {
          lane.following = true;
          return;
        }
        if (signal.aborted) return;
        const page = await store.readAll({ after: runner.checkpoint.position, maxCount: pageSize });
        if (page.length === 0) await pause(context.retryDelayMs, signal);
        else await runner.apply(page, context.onAdvance);
      }
    } catch (error) {
      if (signal.aborted) return;
      context.log.warn(
        { err: error, projection: runner.projection.name },
        'projection batch failed; catching up from its checkpoint',
      );
      await pause(context.retryDelayMs, signal);
    }
  }
};
