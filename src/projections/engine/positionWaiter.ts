import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { ABSENT_TTL_MS } from '../../events/otherListeners';
import { comparePositions, START, type Position } from '../../events/store/position';
import { MicroBatcher } from '../../events/store/microBatcher';
import { CHECKPOINT_CHANNEL, parseCheckpointNotice, readCheckpoints, type Checkpoint } from './checkpoints';

/** The safety net's interval while the checkpoint channel is up. */
const LISTENING_POLL_MS = 2_000;

/**
 * application_name prefix of a waiter's LISTEN connection: engines look these up to NOTIFY only
 * when a waiter of another process listens (OtherListeners).
 */
export const CHECKPOINT_LISTENER = 'arcfit-checkpoint-listener';

interface Waiting {
  readonly position: Position;
  readonly readModels: readonly string[] | undefined;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Read-your-writes: resolves once the serving read models have applied a given position.
 *
 * It keeps a board of where each serving read model stands, never ahead of the truth: filled from
 * the checkpoints table, raised by every checkpoint this process moves (`absorb`, called after the
 * batch committed) and by the NOTIFY a checkpoint move in another process sends with its position.
 * Waiters are answered from the board, with no query; the table is read again only as the safety
 * net, every `pollIntervalMs` while someone waits. Why: each answer re-reading the checkpoints on
 * every advance of every read model put a query (and a 5 ms poll on the booking path) between a
 * booking's projection and its answer; the board answers the moment the batch commits.
 */
export class PositionWaiter {
  private readonly serving = new Map<string, { version: number; position: Position }>();
  private loaded = false;
  private readonly waiting = new Set<Waiting>();
  private poll: NodeJS.Timeout | undefined;
  private listener: pg.Client | undefined;
  /** When the channel came up: engines elsewhere may take ABSENT_TTL_MS to learn of it. */
  private listeningSince = 0;
  private heard: NodeJS.Timeout | undefined;
  private closed = false;
  /** One read of the checkpoints at a time; everyone who asks meanwhile shares the next one. */
  private readonly reads = new MicroBatcher<void, void>(async (asks) => {
    for (const checkpoint of await readCheckpoints(this.knex)) this.absorb(checkpoint);
    this.loaded = true;
    this.settle();
    return asks.map(() => ({ ok: true as const, value: undefined }));
  }, 1);

  constructor(
    private readonly knex: Knex,
    private readonly connectionString?: string,
    private readonly pollIntervalMs = 250,
    /** Its LISTEN connection's name; one per process's engine-and-waiter pair (readSide.ts). */
    private readonly applicationName = `${CHECKPOINT_LISTENER} ${randomUUID()}`,
  ) {}

  async start(): Promise<void> {
    if (!this.connectionString) return;
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: this.applicationName,
    });
    client.on('error', () => undefined);
    // A channel gone down hears nothing more: waiters fall back to the table at pollIntervalMs.
    client.once('end', () => {
      if (this.listener === client) this.listener = undefined;
    });
    client.on('notification', ({ payload }) => {
      const notice = payload === undefined ? undefined : parseCheckpointNotice(payload);
      if (notice) this.absorb(notice);
      else void this.refresh();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
      this.listener = client;
      this.listeningSince = Date.now();
    } catch {
      // Without the channel, waiters fall back to polling.
      await client.end().catch(() => undefined);
    }
  }

  /**
   * A checkpoint as it now stands in the table (moved by this process, or announced by another):
   * raises the board. Call only once the move has committed.
   */
  absorb({
    name,
    version,
    status,
    position,
  }: Pick<Checkpoint, 'name' | 'version' | 'status' | 'position'>): void {
    if (status !== 'active') return;
    const known = this.serving.get(name);
    // A version's checkpoint only moves forward (a rebuild in place swaps in at or past the live
    // position), so its highest position seen is where it stands. A higher version serving means
    // a rebuilt one was promoted: it replaces the board's entry even if it stands lower.
    if (
      known &&
      (known.version > version ||
        (known.version === version && comparePositions(known.position, position) >= 0))
    )
      return;
    this.serving.set(name, { version, position });
    this.settle();
  }

  /** Re-reads the checkpoints table (shared with every concurrent ask). */
  refresh(): Promise<void> {
    return this.reads.submit();
  }

  /** The lowest position the given read models (default: every serving one) have reached. */
  reached(readModels?: readonly string[]): Position {
    if (!this.loaded) return START;
    const names = readModels ?? [...this.serving.keys()];
    let lowest: Position | undefined;
    for (const name of names) {
      const position = this.serving.get(name)?.position;
      if (!position) return START;
      if (!lowest || comparePositions(position, lowest) < 0) lowest = position;
    }
    return lowest ?? START;
  }

  /**
   * True once the read side has reached `position` — every serving read model, or only
   * `readModels` when named; false if `timeoutMs` passed first.
   */
  async waitFor(position: Position, timeoutMs: number, readModels?: readonly string[]): Promise<boolean> {
    if (!this.loaded) await this.refresh();
    if (comparePositions(this.reached(readModels), position) >= 0) return true;
    if (this.closed) return false;
    return new Promise((resolve) => {
      const waiting: Waiting = {
        position,
        readModels,
        resolve,
        timer: setTimeout(() => {
          this.waiting.delete(waiting);
          resolve(false);
        }, timeoutMs),
      };
      this.waiting.add(waiting);
      // Listening, the channel brings every move: the table is only read now and then, in case a
      // notice was lost (at four reads a second it was ~0.2 statements per booking).
      const every = this.listener ? Math.max(this.pollIntervalMs, LISTENING_POLL_MS) : this.pollIntervalMs;
      this.readOnceHeard();
      this.poll ??= setInterval(() => void this.refresh().catch(() => undefined), every);
    });
  }

  /**
   * Engines elsewhere NOTIFY only once they have seen this listener (OtherListeners), which takes
   * up to ABSENT_TTL_MS after it connected: a wait begun before then reads the table once then,
   * for the moves they made unannounced meanwhile.
   */
  private readOnceHeard(): void {
    const left = this.listeningSince + ABSENT_TTL_MS - Date.now();
    if (!this.listener || left <= 0 || this.heard) return;
    this.heard = setTimeout(() => {
      if (this.waiting.size > 0) void this.refresh().catch(() => undefined);
    }, left);
  }

  private settle(): void {
    for (const w of this.waiting) {
      if (comparePositions(this.reached(w.readModels), w.position) < 0) continue;
      clearTimeout(w.timer);
      this.waiting.delete(w);
      w.resolve(true);
    }
    if (this.waiting.size === 0 && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
    this.waiting.clear();
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    clearTimeout(this.heard);
    await this.listener?.end().catch(() => undefined);
  }
}
