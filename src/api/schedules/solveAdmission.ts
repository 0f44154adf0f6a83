import { SolverBusyError } from '../../commands/schedules/solverPool';
import { HttpProblem } from '../http/errorHandler';

/**
 * One planning request (preview or generate) in flight per caller: a solve holds a solver thread
 * for up to its time limit, and anyone can become a society admin, so one caller must not queue
 * solve after solve in front of everyone else.
 *
 * Kept in this process's memory: with several API replicas over one PostgreSQL a caller can run
 * one solve per replica. That is acceptable here — each replica's solver pool is bounded on its
 * own (SOLVER_THREADS, and a bounded queue answering 503 solver-busy) — and cheaper than a lock
 * row that a crashed replica would leave held.
 */
const running = new Map<string, { until: number }>();

/** Is this caller's planning request still running? (What a second one would be refused for.) */
export const solveInFlight = (userId: string): boolean => running.has(userId);

const secondsUntil = (epochMs: number) => Math.max(1, Math.ceil((epochMs - Date.now()) / 1000));

const solveInProgress = (retryAfter: number) =>
  new HttpProblem(
    429,
    'solve-in-progress',
    'Your previous schedule plan is still being worked out',
    `One preview or generate at a time per caller: wait for the one running to answer (at most ` +
      `about ${retryAfter} s more), then send this again.`,
    {},
    { 'Retry-After': String(retryAfter) },
  );

const solverBusy = (retryAfter: number) =>
  new HttpProblem(
    503,
    'solver-busy',
    'Every schedule solver is busy',
    `Other weeks are being planned and the queue is full. Nothing was written; try again in ${retryAfter} s.`,
    {},
    { 'Retry-After': String(retryAfter) },
  );

/**
 * Runs `work` (the whole planning request) as this caller's one solve, or refuses: 429
 * solve-in-progress while their previous one runs, 503 solver-busy when the pool's queue is full.
 */
export const asOnlySolveOf = async <T>(
  userId: string,
  timeLimitSeconds: number,
  work: () => Promise<T>,
): Promise<T> => {
  const current = running.get(userId);
  if (current) throw solveInProgress(secondsUntil(current.until));
  const mine = { until: Date.now() + timeLimitSeconds * 1000 };
  running.set(userId, mine);
  try {
    return await work();
  } catch (error) {
    if (error instanceof SolverBusyError) throw solverBusy(timeLimitSeconds);
    throw error;
  } finally {
    running.delete(userId);
  }
};
