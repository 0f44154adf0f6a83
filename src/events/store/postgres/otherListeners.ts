import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/** application_name of every store's LISTEN connection, followed by that store's own id. */
const LISTENER_APPLICATION = 'arcfit-events-listener';

const OTHERS_LISTEN = `SELECT EXISTS (
    SELECT 1 FROM pg_stat_activity
     WHERE datname = current_database()
       AND application_name LIKE '${LISTENER_APPLICATION} %'
       AND application_name <> $1) AS others`;

/** How long an answer is trusted: a listener that came is heard of within ABSENT_TTL_MS. */
const PRESENT_TTL_MS = 5_000;
const ABSENT_TTL_MS = 1_000;

/**
 * Whether a store in another process (or another store in this one) listens for appends. NOTIFY
 * only wakes other processes' subscribers — a store wakes its own in memory — so a process
 * alone (`npm start`: API and read models together) need send none: one NOTIFY per append
 * batch was more than a statement per booking. Listeners are found by their connections'
 * application_name in pg_stat_activity, looked up at most every ABSENT_TTL_MS while none is
 * seen (every PRESENT_TTL_MS while one is). A listener that just connected may so miss up to
 * ABSENT_TTL_MS of wake-ups; its subscribers poll meanwhile, as they do whenever NOTIFY is lost.
 * A failed look-up counts as "someone listens": a wake-up too many costs one statement.
 */
export class OtherListeners {
  /** This store's listener's application_name. */
  readonly applicationName = `${LISTENER_APPLICATION} ${randomUUID()}`;
  private known: { others: boolean; until: number } | undefined;

  constructor(private readonly pool: pg.Pool) {}

  async present(): Promise<boolean> {
    const now = Date.now();
    if (this.known && now < this.known.until) return this.known.others;
    try {
      const { rows } = await this.pool.query<{ others: boolean }>(OTHERS_LISTEN, [this.applicationName]);
      const others = rows[0]?.others ?? true;
      this.known = { others, until: now + (others ? PRESENT_TTL_MS : ABSENT_TTL_MS) };
      return others;
    } catch {
      return true;
    }
  }
}
