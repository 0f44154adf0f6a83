import type { EventStore, RecordedEvent } from '../../events/store/eventStore';
import type { Position } from '../../events/store/position';
import { Wakeup } from '../../events/store/wakeup';

/**
 * Turns the store's one-at-a-time subscription into batches: a pump fills a bounded buffer, the
 * runner takes whatever has arrived (up to a batch size) and applies it in one transaction.
 * Works the same over every adapter, native subscription or not.
 */
export class EventBuffer {
  private readonly buffer: RecordedEvent[] = [];
  private readonly arrived = new Wakeup();
  private readonly drained = new Wakeup();
  private failure: unknown;
  private readonly subscription;
  private readonly pumping: Promise<void>;

  constructor(
    store: EventStore,
    after: Position,
    private readonly highWater = 5000,
  ) {
    this.subscription = store.subscribeToAll({ after });
    this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for await (const event of this.subscription) {
        this.buffer.push(event);
        this.arrived.notify();
        while (this.buffer.length >= this.highWater) await this.drained.wait(1000);
      }
    } catch (error) {
      this.failure = error;
      this.arrived.notify();
    }
  }

  /** Up to `max` events; an empty array when none arrived within `idleMs`. Throws what the pump hit. */
  async take(max: number, idleMs: number, signal: AbortSignal): Promise<RecordedEvent[]> {
    if (this.buffer.length === 0 && this.failure === undefined) await this.arrived.wait(idleMs, signal);
    if (this.failure !== undefined) throw this.failure;
    const batch = this.buffer.splice(0, max);
    this.drained.notify();
    return batch;
  }

  get pending(): number {
    return this.buffer.length;
  }

  async close(): Promise<void> {
    await this.subscription.close();
    this.drained.notify();
    await this.pumping;
  }
}
