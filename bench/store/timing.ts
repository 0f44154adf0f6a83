/** Closed-loop load: `concurrency` workers each run `op` back to back for a fixed time. */
export interface RunOptions {
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Stops the workers early (Ctrl-C). */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  /** Operations that started inside the measured window and succeeded. */
  readonly ops: number;
  readonly errors: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly firstError?: string;
}

const nowNs = (): bigint => process.hrtime.bigint();
const msToNs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Runs `op(worker, seq)` from every worker until the window closes. Operations started during the
 * warm-up are not counted; each worker finishes the operation in flight when time is up.
 */
export const measure = async (
  op: (worker: number, seq: number) => Promise<void>,
  { concurrency, warmupMs, durationMs, signal }: RunOptions,
): Promise<RunResult> => {
  const measureFrom = nowNs() + msToNs(warmupMs);
  const until = measureFrom + msToNs(durationMs);
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let seq = 0;

  const worker = async (id: number): Promise<void> => {
    for (let started = nowNs(); started < until && !signal?.aborted; started = nowNs()) {
      const counted = started >= measureFrom;
      try {
        await op(id, seq++);
        if (counted) latenciesMs.push(Number(nowNs() - started) / 1e6);
      } catch (error) {
        if (!counted) continue;
        errors++;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));

  const sorted = latenciesMs.sort((a, b) => a - b);
  return {
    ops: sorted.length,
    errors,
    opsPerSec: sorted.length / (durationMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    ...(firstError === undefined ? {} : { firstError }),
  };
};
