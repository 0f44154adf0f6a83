import type { Knex } from 'knex';
import type { RecordedEvent } from '../../events/store/eventStore';
import { comparePositions, type Position } from '../../events/store/position';
import { advanceCheckpoints, type Checkpoint, type CheckpointMove } from './checkpoints';
import { SLICE_MS, type ProjectionRunner } from './projectionRunner';

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
  /** Whether checkpoint moves should NOTIFY (another process listens). */
  readonly notify: () => Promise<boolean>;
  /**
   * Batches longer than this (catch-up pages) go one transaction per runner, side by side: there
   * a runner's apply, not the statements around it, is the cost, and one runner's page would fill
   * the shared transaction's SLICE_MS alone, leaving the others to wait for it.
   */
  readonly shareUpTo: number;
}

interface Share {
  readonly lane: Lane;
  readonly unseen: readonly RecordedEvent[];
}

class StalledError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms over one batch; the others went on without it`);
  }
}

/**
 * Hands one batch (the events after `after`) to every following runner. The runners that react
 * to some of it apply their events in ONE shared transaction, which also moves every runner's
 * checkpoint (idle ones included) in one statement: BEGIN, the applies, the move, COMMIT. Why:
 * a transaction per runner was a BEGIN, a checkpoint move and a COMMIT per read model per batch —
 * a third of all statements under booking load. The shared transaction takes in runners only
 * while it has been open less than SLICE_MS (see ProjectionRunner.apply for why transactions
 * stay short); whatever is left (later runners, the rest of a per-event projection's events)
 * goes in each runner's own transactions once it committed.
 *
 * If the shared transaction fails or stalls past `stallMs`, it rolls back and the batch goes
 * again one transaction per runner: the runner at fault then fails (or stalls) alone and falls
 * behind, the others go on.
 *
 * The engine may fan a batch out to some runners only (laneGroup.ts): then only their
 * checkpoints move.
 */
export const fanOut = async (
  events: readonly RecordedEvent[],
  after: Position,
  lanes: readonly Lane[],
  context: FanOutContext,
): Promise<void> => {
  const idle: Share[] = [];
  const working: Share[] = [];
  for (const lane of lanes) {
    if (!lane.following) continue;
    if (comparePositions(lane.runner.checkpoint.position, after) < 0) {
      // Would leave a gap between its checkpoint and this batch: it reads that part itself.
      context.fallBehind(lane, new Error(`${lane.runner.projection.name} is behind the tail`));
      continue;
    }
    const unseen = lane.runner.unseen(events);
    if (unseen.length === 0) continue;
    (lane.runner.reactsTo(unseen) ? working : idle).push({ lane, unseen });
  }
  if (working.length === 0) return moveIdle(idle, context);
  if (events.length > context.shareUpTo) return apartFrom(working, idle, context);
  return shareOne(working, idle, context);
};

/** One shared transaction for these runners; per runner if it fails or stalls. */
const shareOne = async (working: readonly Share[], idle: readonly Share[], context: FanOutContext) => {
  let rest: Array<{ share: Share; from: number }>;
  try {
    rest = await withinDeadline(sharedBatch(working, idle, context), context.stallMs);
  } catch {
    // One transaction per runner: whichever failed drops out alone.
    await Promise.all([
      moveIdle(idle, context),
      ...working.map((s) => applyWithin(s.lane, s.unseen, context)),
    ]);
    return;
  }
  await Promise.all(
    rest.map(({ share, from }) => applyWithin(share.lane, share.unseen.slice(from), context)),
  );
};

/** One transaction per runner with work, side by side; the idle ones moved in one statement. */
const apartFrom = async (working: readonly Share[], idle: readonly Share[], context: FanOutContext) => {
  await Promise.all([moveIdle(idle, context), ...working.map((s) => applyWithin(s.lane, s.unseen, context))]);
};

/**
 * The shared transaction; answers what it left for the runners' own transactions. Runners'
 * checkpoints change only once it committed. Past `stallMs` it is rolled back (a statement the
 * stalled runner still sends then fails) and counts as failed.
 */
const sharedBatch = async (
  working: readonly Share[],
  idle: readonly Share[],
  context: FanOutContext,
): Promise<Array<{ share: Share; from: number }>> => {
  const notify = await context.notify();
  const trx = await context.knex.transaction();
  let written: Awaited<ReturnType<typeof writeShared>>;
  try {
    written = await withinDeadline(writeShared(trx, working, idle, notify), context.stallMs);
    await trx.commit();
  } catch (error) {
    if (!trx.isCompleted()) await trx.rollback().catch(() => undefined);
    throw error;
  }
  const { applied, moved } = written;
  for (const { share, move } of applied) context.onAdvance(share.lane.runner.settle(move, true));
  settleIdle(idle, moved.slice(applied.length), context);
  return [
    ...applied.filter((a) => a.upTo < a.share.unseen.length).map((a) => ({ share: a.share, from: a.upTo })),
    ...working.slice(applied.length).map((share) => ({ share, from: 0 })),
  ];
};

/** The shared transaction's statements: each runner's apply while under SLICE_MS, then one move. */
const writeShared = async (
  trx: Knex.Transaction,
  working: readonly Share[],
  idle: readonly Share[],
  notify: boolean,
) => {
  const started = Date.now();
  const applied: Array<{ share: Share; move: CheckpointMove; upTo: number }> = [];
  for (const share of working) {
    if (applied.length > 0 && Date.now() - started >= SLICE_MS) break;
    const part = await share.lane.runner.applyPart(trx, share.unseen, 0, started);
    applied.push({ share, ...part });
  }
  const idleMoves = idle.map(({ lane, unseen }) => lane.runner.idleMove(unseen)!);
  const moved = await advanceCheckpoints(trx, [...applied.map((a) => a.move), ...idleMoves], notify);
  // A checkpoint moved under a runner: nothing of this batch may land; per runner finds which.
  if (applied.some((_, i) => !moved[i]))
    throw new Error('a checkpoint moved under the shared batch; going again one runner at a time');
  return { applied, moved };
};

/** The work's answer, or a StalledError past `ms` (the work goes on; its failure is ignored). */
const withinDeadline = async <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StalledError('the shared batch', ms)), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, stalled]);
  } finally {
    clearTimeout(timer);
  }
};

/** Runners with nothing to apply, when no runner applies anything: their moves in one statement. */
const moveIdle = async (idle: readonly Share[], context: FanOutContext): Promise<void> => {
  if (idle.length === 0) return;
  let moved: boolean[];
  try {
    moved = await advanceCheckpoints(
      context.knex,
      idle.map(({ lane, unseen }) => lane.runner.idleMove(unseen)!),
      await context.notify(),
    );
  } catch (error) {
    for (const { lane } of idle) context.fallBehind(lane, error);
    return;
  }
  settleIdle(idle, moved, context);
};

const settleIdle = (idle: readonly Share[], moved: readonly boolean[], context: FanOutContext): void => {
  idle.forEach(({ lane, unseen }, i) => {
    try {
      context.onAdvance(lane.runner.settle(lane.runner.idleMove(unseen)!, moved[i]!));
    } catch (error) {
      context.fallBehind(lane, error);
    }
  });
};

/** One runner's own transactions over its events; a failure or stall takes it out alone. */
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
