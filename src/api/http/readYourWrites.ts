import type { Request } from 'express';
import type { EventStore } from '../../events/store/eventStore';
import { comparePositions, formatPosition, parsePosition, type Position } from '../../events/store/position';
import type { PositionWaiter } from '../../projections/engine/positionWaiter';
import { HttpProblem } from './errorHandler';

export const POSITION_HEADER = 'ArcFit-Position';
export const MIN_POSITION_HEADER = 'ArcFit-Min-Position';

export interface ReadYourWrites {
  /**
   * True when the read models include `position` (a command's answer can show its own write):
   * every serving read model, or only `readModels` when the answer is built from those alone.
   */
  caughtUp(position: Position | undefined, readModels?: readonly string[]): Promise<boolean>;
  /**
   * Honours `?min_position=` / ArcFit-Min-Position on a GET: wait for it, or 503 if it does not
   * come. A position beyond the store's newest event was never handed out: 422 at once.
   */
  awaitRequested(req: Request): Promise<void>;
}

/**
 * No append was ever answered with a position beyond the store's newest event, so waiting for one
 * would only hold a request (and a connection) for the whole timeout: refuse it, naming the head
 * the caller may wait for instead. One cheap read, only when a position is asked for.
 */
const refuseBeyondNewest = async (store: Pick<EventStore, 'newestPosition'>, position: Position) => {
  const newest = await store.newestPosition();
  if (comparePositions(position, newest) <= 0) return;
  throw new HttpProblem(
    422,
    'position-beyond-head',
    'That position is beyond the newest event recorded',
    `min_position ${formatPosition(position)} is beyond the store's head ${formatPosition(newest)}: ` +
      'pass a position a command answered with (its ArcFit-Position header).',
    { min_position: formatPosition(position), head: formatPosition(newest) },
  );
};

export const readYourWrites = (
  waiter: PositionWaiter,
  timeoutMs: number,
  store: Pick<EventStore, 'newestPosition'>,
): ReadYourWrites => ({
  caughtUp: async (position, readModels) =>
    position ? waiter.waitFor(position, timeoutMs, readModels) : true,
  awaitRequested: async (req) => {
    const raw =
      (typeof req.query.min_position === 'string' ? req.query.min_position : undefined) ??
      req.get(MIN_POSITION_HEADER);
    if (raw === undefined) return;
    const position = parsePosition(raw);
    if (!position) {
      throw new HttpProblem(
        400,
        'validation-error',
        'The request is not valid',
        'min_position must look like "<commit>/<prepare>"',
      );
    }
    await refuseBeyondNewest(store, position);
    if (!(await waiter.waitFor(position, timeoutMs))) {
      throw new HttpProblem(
        503,
        'read-model-behind',
        'The read model has not reached that position yet',
        undefined,
        {
          min_position: formatPosition(position),
        },
        { 'Retry-After': '1' },
      );
    }
  },
});
