/** Recent commits kept to answer `olderSince`; a read that saw more answered than this assumes one was older. */
const RECENT = 256;

/** What a subscriber's read knew as it began: the newest commit heard of, and `mark()`. */
export interface ReadStart {
  readonly newestKnown: bigint;
  readonly mark: number;
}

interface Waiter {
  readonly below: bigint;
  readonly wake: () => void;
}

/**
 * The transactions this process's appends committed, as their answers arrive, and a wait for one
 * older than a given transaction id.
 *
 * Why: a subscriber whose next event is committed but hidden — READ_ALL hands out nothing at or
 * past its snapshot's xmin (sql/readStream.ts) — sees more only once the oldest transaction open
 * at its read ends, and that transaction is older than every event it hides. An append of this
 * process that ends with a larger transaction id than the newest commit known before the read
 * cannot be it, yet each used to wake the subscriber into a read that found nothing (70 reads for
 * 100 appends in postgresHiddenWakes.int.test.ts). What this process cannot see end — a read
 * model's batch (in a booking storm, nearly always the hider), another process's append — is
 * left to the subscriber's retry timer and to NOTIFY (`wakeAll`).
 */
export class OwnCommits {
  private readonly recent = new Array<bigint>(RECENT).fill(0n);
  private count = 0;
  private readonly waiting = new Set<Waiter>();

  /** Where a read begins: `olderSince(mark, …)` then looks at the commits answered after it. */
  mark(): number {
    return this.count;
  }

  readBegins(newestKnown: bigint): ReadStart {
    return { newestKnown, mark: this.count };
  }

  /**
   * The wait of a subscriber whose read came back short at `cursorCommit`, when the newest commit
   * known as the read began is past it: hidden then, so only an older transaction's end shows it.
   * Undefined when that is not so, or when an older append ended since (perhaps the hider): the
   * event may then be showing already, and any wake-up is worth a read.
   */
  hiddenWait(read: ReadStart, cursorCommit: bigint, timeoutMs: number, signal?: AbortSignal) {
    if (read.newestKnown <= cursorCommit || this.olderSince(read.mark, read.newestKnown)) return undefined;
    return this.waitForOlder(read.newestKnown, timeoutMs, signal);
  }

  committed(transactionId: bigint): void {
    // A batch's appends share one transaction and are answered one after the other: kept once.
    if (this.count === 0 || this.recent[(this.count - 1) % RECENT] !== transactionId) {
      this.recent[this.count % RECENT] = transactionId;
      this.count++;
    }
    for (const waiter of this.waiting) if (transactionId < waiter.below) waiter.wake();
  }

  /** Whether a commit older than `below` was answered since `mark` (yes when too many were to tell). */
  olderSince(mark: number, below: bigint): boolean {
    if (this.count - mark > RECENT) return true;
    for (let k = mark; k < this.count; k++) if (this.recent[k % RECENT]! < below) return true;
    return false;
  }

  /** Whether `transactionId` is a recent commit of this process: a NOTIFY it sent, heard back. */
  isOwn(transactionId: bigint): boolean {
    for (let k = Math.max(0, this.count - RECENT); k < this.count; k++)
      if (this.recent[k % RECENT] === transactionId) return true;
    return false;
  }

  /**
   * Resolves when a commit older than `below` is answered, at `wakeAll`, after `timeoutMs`, or when
   * `signal` aborts, whichever comes first.
   */
  waitForOlder(below: bigint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        below,
        wake: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.wake);
          this.waiting.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      timer.unref();
      signal?.addEventListener('abort', waiter.wake, { once: true });
      this.waiting.add(waiter);
    });
  }

  /** Another process committed (its NOTIFY), or the store closes: every wait ends. */
  wakeAll(): void {
    for (const waiter of [...this.waiting]) waiter.wake();
  }
}
