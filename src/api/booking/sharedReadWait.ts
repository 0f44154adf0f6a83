import { comparePositions, START, type Position } from '../../events/store/position';
import type { ReadYourWrites } from '../http/readYourWrites';

const later = (a: Position, b: Position) => (comparePositions(a, b) >= 0 ? a : b);

/**
 * Read-your-writes for a burst of answers, with one waiter instead of one per request: 200
 * bookings of a hot class would otherwise each re-read the checkpoints every time any projection
 * advances (200 × every batch). Waits that arrive together are served by one wait for the latest
 * of their positions; a wait that arrives meanwhile joins the next round. A request whose round
 * timed out is still answered `true` if the read side reached its own position.
 */
export class SharedReadWait {
  private reached: Position = START;
  private pending: { position: Position; resolve: (ok: boolean) => void }[] = [];
  private running = false;

  constructor(private readonly inner: ReadYourWrites['caughtUp']) {}

  readonly caughtUp = (position: Position | undefined): Promise<boolean> => {
    if (!position || comparePositions(this.reached, position) >= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.pending.push({ position, resolve });
      void this.drain();
    });
  };

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const round = this.pending.splice(0);
        const target = round.map((p) => p.position).reduce(later);
        const ok = await this.inner(target).catch(() => false);
        if (ok) this.reached = later(this.reached, target);
        for (const p of round) p.resolve(ok || comparePositions(this.reached, p.position) >= 0);
      }
    } finally {
      this.running = false;
    }
  }
}
