/**
 * A reusable "something was appended" signal. Waiters get a promise that resolves on the next
 * `notify()` or after `timeoutMs`, whichever comes first — so a lost wake-up costs at most one
 * poll interval, never a stuck reader.
 */
export class Wakeup {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}
