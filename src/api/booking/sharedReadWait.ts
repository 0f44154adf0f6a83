import type { Knex } from 'knex';
import { comparePositions, START, type Position } from '../../events/store/position';
import { readCheckpoints } from '../../projections/engine/checkpoints';
import { servingPosition } from '../../projections/engine/projectionEngine';

const POLL_MS = 5;

/**
 * Read-your-writes for booking answers, kept cheap under a burst: one loop serves every waiting
 * request — one checkpoint read per tick — instead of each of 200 hot-class answers re-reading the
 * checkpoints every time any projection advances (200 × every batch). It waits for the read models
 * a booking answer and the booking GETs read (`watched`), not for every projection: measured on the
 * hot class, waiting for the slowest consumer (notifications, which renders messages) tripled the
 * p99. Other reads still honour the answer's position through `?min_position=`.
 */
export class SharedReadWait {
  private pending: { position: Position; deadline: number; resolve: (ok: boolean) => void }[] = [];
  private reached: Position = START;
  private running = false;

  constructor(
    private readonly knex: Knex,
    private readonly timeoutMs: number,
    private readonly watched: readonly string[],
  ) {}

  readonly caughtUp = (position: Position | undefined): Promise<boolean> => {
    if (!position || comparePositions(this.reached, position) >= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.pending.push({ position, deadline: Date.now() + this.timeoutMs, resolve });
      void this.loop();
    });
  };

  private async current(): Promise<Position> {
    const checkpoints = (await readCheckpoints(this.knex)).filter((c) => this.watched.includes(c.name));
    // Until every watched read model serves, nothing can be promised.
    if (
      new Set(checkpoints.filter((c) => c.status === 'active').map((c) => c.name)).size < this.watched.length
    )
      return START;
    return servingPosition(checkpoints);
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
