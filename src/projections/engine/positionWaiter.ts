import type { Knex } from 'knex';
import pg from 'pg';
import { comparePositions, type Position } from '../../events/store/position';
import { Wakeup } from '../../events/store/wakeup';
import { CHECKPOINT_CHANNEL, readCheckpoints } from './checkpoints';
import { servingPosition } from './projectionEngine';
import { MicroBatcher } from '../../platform/microBatcher';

/**
 * Read-your-writes: resolves once every serving projection has applied a given position. Woken
 * by the engine in this process, by NOTIFY from a worker in another, and by a poll as the net.
 */
export class PositionWaiter {
  private readonly advanced = new Wakeup();
  private listener: pg.Client | undefined;
  private closed = false;
  /**
   * Every waiter woken by one advance asks at once; they share one read of the checkpoints (each
   * read starts after everyone in it asked, so no one gets an answer older than their question).
   * Why: 16 concurrent answers × 11 read models' advances made thousands of identical reads.
   */
  private readonly reads = new MicroBatcher<void, Position>(async (asks) => {
    const position = servingPosition(await readCheckpoints(this.knex));
    return asks.map(() => ({ ok: true as const, value: position }));
  }, 1);

  constructor(
    private readonly knex: Knex,
    private readonly connectionString?: string,
    private readonly pollIntervalMs = 250,
  ) {}

  /** Wakes waiters: call when a checkpoint moved in this process. */
  notify(): void {
    this.advanced.notify();
  }

  async start(): Promise<void> {
    if (!this.connectionString) return;
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'arcfit-waiter',
    });
    client.on('error', () => undefined);
    client.on('notification', () => this.advanced.notify());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
      this.listener = client;
    } catch {
      // Without the channel, waiters fall back to polling.
      await client.end().catch(() => undefined);
    }
  }

  current(): Promise<Position> {
    return this.reads.submit();
  }

  /** True once the read side has reached `position`; false if `timeoutMs` passed first. */
  async waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Armed before reading, so an advance between the read and the wait is not missed.
      const woken = this.advanced.wait(Math.min(this.pollIntervalMs, Math.max(0, deadline - Date.now())));
      if (comparePositions(await this.current(), position) >= 0) return true;
      if (deadline - Date.now() <= 0 || this.closed) return false;
      await woken;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.advanced.notify();
    await this.listener?.end().catch(() => undefined);
  }
}
