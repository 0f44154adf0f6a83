import type { RecordedEvent } from '../../events/store/eventStore';
import type { Position } from '../../events/store/position';
import type { Lane } from './fanOut';

export interface LaneGroupWork {
  /** Hands these events (the ones after `after`) to the group's lanes (fanOut.ts). */
  readonly fanOut: (
    events: readonly RecordedEvent[],
    after: Position,
    lanes: readonly Lane[],
  ) => Promise<void>;
  /** Called once the group has applied a batch after which nothing was waiting in the log. */
  readonly drained: (lanes: readonly Lane[]) => Promise<void>;
  /** Most events handed to the lanes at once, and most the group holds before the tail waits. */
  readonly maxPending: number;
  /** What either of the above threw (both are meant to handle their own failures). */
  readonly failed: (error: unknown) => void;
}

/**
 * Some of the process's runners, fed the tail's batches in `$all` order and applying them at
 * their own pace. Why groups: a booking's answer waits for the read models it is built from
 * (bookingAnswerReadModels.ts) only; when all runners took each batch together, the next batch
 * waited for the slowest read model of the one before, so a booking appended meanwhile waited
 * for notifications and billing twice. Each group now takes, as soon as it is free, everything
 * that arrived while it was applying (up to `maxPending`), in one batch.
 *
 * The tail waits (`room`) while a group holds `maxPending` events: memory stays bounded, and far
 * behind the groups move through the log page by page as before.
 */
export class LaneGroup {
  private pending: RecordedEvent[] = [];
  private drainedAtEnd = false;
  private running: Promise<void> | undefined;

  constructor(
    readonly lanes: readonly Lane[],
    /** The position before the first event this group has not yet handed out. */
    private after: Position,
    private readonly work: LaneGroupWork,
  ) {}

  /** Queues a batch of the tail; `drained`: nothing more was waiting after it. */
  offer(events: readonly RecordedEvent[], drained: boolean): void {
    if (events.length > 0)
      this.pending = this.pending.length === 0 ? [...events] : this.pending.concat(events);
    this.drainedAtEnd = drained;
    this.running ??= this.drain()
      .catch(this.work.failed)
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Resolves once the group holds fewer than `maxPending` events. */
  async room(): Promise<void> {
    while (this.pending.length >= this.work.maxPending && this.running) await this.running;
  }

  /** Resolves once everything offered so far has been handed out. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const events = this.pending.splice(0, this.work.maxPending);
      const last = events[events.length - 1];
      if (last) {
        const after = this.after;
        this.after = last.position;
        await this.work.fanOut(events, after, this.lanes);
      }
      if (this.pending.length > 0) continue;
      // Caught up with the tail, which found nothing more: the moment a rebuild may take over.
      if (this.drainedAtEnd) await this.work.drained(this.lanes);
      if (this.pending.length === 0) return;
    }
  }
}
