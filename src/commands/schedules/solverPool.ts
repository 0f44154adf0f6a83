import { join } from 'node:path';
import { Piscina } from 'piscina';
import { refuse } from '../handling/decider';
import { CommandRefusedError } from '../handling/commandHandler';
import type { PlanningProblem } from './planningProblem';
import type { SolveOptions, WeekPlan } from './solveWeekPlan';
import { planFromWire, type SolverAnswer, type SolverTask } from './solverWire';

/** Every solver thread is busy and the queue is full: try again once a solve finishes. */
export class SolverBusyError extends Error {
  override readonly name = 'SolverBusyError';
  constructor() {
    super('every schedule solver thread is busy');
  }
}

export interface SolverPool {
  /** Solves on a worker thread; refuses (422 solve-too-large) past `maxCandidatePairs`. */
  solve(
    problem: PlanningProblem,
    options: SolveOptions & { readonly maxCandidatePairs?: number },
  ): Promise<WeekPlan>;
  /** Ends the threads; a solve still running is abandoned. */
  close(): Promise<void>;
}

/** An idle thread stays this long (HiGHS loads once per thread), then goes. */
const IDLE_MS = 5 * 60_000;

export const solveTooLarge = (candidatePairs: number, maxCandidatePairs: number) =>
  new CommandRefusedError(
    refuse(
      'solve-too-large',
      422,
      'The week is too large to plan in one request',
      `This week has ${candidatePairs} candidate (class, trainer) pairs; one plan takes at most ` +
        `${maxCandidatePairs}. Plan fewer societies at once (name one with society_id).`,
      { candidate_pairs: candidatePairs, max_candidate_pairs: maxCandidatePairs },
    ),
  );

/**
 * HiGHS runs synchronously for up to the whole time limit: on the event loop it would stop every
 * other request. It runs here on at most `maxThreads` worker threads instead; past those, up to
 * `maxWaiting` solves wait their turn and any more are refused (SolverBusyError), so neither the
 * wait nor the problems held in memory grow without bound.
 */
export const createSolverPool = ({
  maxThreads,
  maxWaiting = 2 * maxThreads,
}: {
  maxThreads: number;
  maxWaiting?: number;
}): SolverPool => {
  const pool = new Piscina<SolverTask, SolverAnswer>({
    filename: join(__dirname, 'solverWorker.js'),
    minThreads: 0,
    maxThreads,
    idleTimeout: IDLE_MS,
  });
  let outstanding = 0;
  return {
    solve: async (problem, { maxCandidatePairs, ...options }) => {
      if (outstanding >= maxThreads + maxWaiting) throw new SolverBusyError();
      outstanding++;
      try {
        const answer = await pool.run({ problem, options, maxCandidatePairs });
        if (answer.kind === 'too-large') throw solveTooLarge(answer.candidatePairs, answer.maxCandidatePairs);
        return planFromWire(answer.plan);
      } finally {
        outstanding--;
      }
    },
    close: () => pool.destroy(),
  };
};

/** One pool per process, shared by the API and the weekly job; sized by configureSolverPool. */
let shared: SolverPool | undefined;
let sharedThreads = 1;

/** Sets the size of the shared pool (SOLVER_THREADS), before its first solve. */
export const configureSolverPool = (maxThreads: number): void => {
  sharedThreads = maxThreads;
};

export const solverPool = (): SolverPool => (shared ??= createSolverPool({ maxThreads: sharedThreads }));

/** On shutdown: end the threads. A later solve starts a new pool. */
export const closeSolverPool = async (): Promise<void> => {
  const closing = shared;
  shared = undefined;
  await closing?.close();
};
