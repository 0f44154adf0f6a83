import type { Knex } from 'knex';
import { comparePositions, START, type Position } from '../../events/store/position';
import { readCheckpoints } from '../../projections/engine/checkpoints';
import { servingPosition } from '../../projections/engine/projectionEngine';

const POLL_MS = 5;

/**
 * Read-your-writes for booking answers, kept cheap under a burst: one loop serves every waiting
 * request — one checkpoint read per tick — instead of each of 200 hot-class answers re-reading the
 * checkpoints every time any projection advances (200 × every batch). Like every command answer,
 * it waits for every serving read model (notifications included), so a client that books and then
 * reads anything sees its booking.
 */
export class SharedReadWait {
  private pending: { position: Position; deadline: number; resolve: (ok: boolean) => void }[] = [];
  private reached: Position = START;
  private running = false;

  constructor(
    private readonly knex: Knex,
    private readonly timeoutMs: number,
  ) {}

  readonly caughtUp = (position: Position | undefined): Promise<boolean> => {
    if (!position || comparePositions(this.reached, position) >= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.pending.push({ position, deadline: Date.now() + this.timeoutMs, resolve });
      void this.loop();
    });
  };

  private async current(): Promise<Position> {
    return servingPosition(await readCheckpoints(this.knex));
  }

  private async loop(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0) {
        this.reached = await this.current().catch(() => this.reached);
        const now = Date.now();
        this.pending = this.pending.filter((p) => {
          if (comparePositions(this.reached, p.position) >= 0) p.resolve(true);
          else if (now >= p.deadline) p.resolve(false);
          else return true;
          return false;
        });
        if (this.pending.length > 0) await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } finally {
      this.running = false;
    }
  }
}
