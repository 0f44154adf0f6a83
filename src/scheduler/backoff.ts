/** 1st retry waits `initialMs`, then 2×, 4×, … (attempt counts from 1, the attempt that just failed). */
export const backoffDelayMs = (failedAttempt: number, initialMs: number): number =>
  initialMs * 2 ** Math.max(0, failedAttempt - 1);

/** Resolves true after `ms`, or false as soon as `signal` aborts (a stopped job skips its retry). */
export const abortableDelay = (ms: number, signal: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
