import type { Knex } from 'knex';
import { comparePositions, START, type Position } from '../../events/store/position';
import { readCheckpoints } from '../../projections/engine/checkpoints';

const POLL_MS = 5;

/**
 * Read-your-writes for booking answers, kept cheap under a burst. Two differences from the
 * general waiter, both measured on the hot class (200 bookings at once):
 * - one loop serves every waiting request (one checkpoint read per tick, not one per request
 *   every time any projection advances — 200 × every batch);
 * - it waits for the read models the booking answers and GETs read (`bookings`, `classes`), not
 *   for every projection: a slow consumer elsewhere (e.g. notifications rendering messages) does
 *   not hold a member's booking answer. Other GETs still honour `?min_position=`.
 */
export class SharedReadWait {
  private pending: { position: Position; deadline: number; resolve: (ok: boolean) => void }[] = [];
  private reached: Position = START;
  private running = false;

  constructor(
    private readonly knex: Knex,
    private readonly projections: readonly string[],
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
    const watched = (await readCheckpoints(this.knex)).filter(
      (c) => c.status === 'active' && this.projections.includes(c.name),
    );
    if (watched.length < this.projections.length) return START;
    return watched.map((c) => c.position).reduce((min, p) => (comparePositions(p, min) < 0 ? p : min));
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
