import { randomUUID } from 'node:crypto';

/** What a look-up needs: pg.Pool, or anything that runs `$1`-style SQL and answers rows. */
export interface ListenerLookUp {
  query<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[] }>;
}

const othersListen = (kind: string) => `SELECT EXISTS (
    SELECT 1 FROM pg_stat_activity
     WHERE datname = current_database()
       AND application_name LIKE '${kind} %'
       AND application_name <> $1) AS others`;

/** How long an answer is trusted: a listener that came is heard of within ABSENT_TTL_MS. */
const PRESENT_TTL_MS = 5_000;
export const ABSENT_TTL_MS = 1_000;

/**
 * Whether a LISTEN connection of one kind (`arcfit-events-listener`: event store subscribers;
 * `arcfit-checkpoint-listener`: read-your-writes waiters) other than this one's own is connected.
 * NOTIFY only wakes other processes — a process wakes its own in memory — so a process alone
 * (`npm start`: API and read models together) need send none: one NOTIFY per append batch, and
 * one per checkpoint move, each cost about a statement per booking, and NOTIFY serialises commits.
 * Listeners are found by their connections' application_name (`<kind> <id>`) in
 * pg_stat_activity, looked up at most every ABSENT_TTL_MS while none is seen (every
 * PRESENT_TTL_MS while one is). A listener that just connected may so miss up to ABSENT_TTL_MS of
 * wake-ups; it polls meanwhile, as it does whenever NOTIFY is lost. A failed look-up counts as
 * "someone listens": a wake-up too many costs one statement.
 */
export class OtherListeners {
  /** The application_name this process's own listener of this kind connects with. */
  readonly applicationName: string;
  private readonly sql: string;
  private known: { others: boolean; until: number } | undefined;

  constructor(
    private readonly db: ListenerLookUp,
    kind = 'arcfit-events-listener',
  ) {
    this.applicationName = `${kind} ${randomUUID()}`;
    this.sql = othersListen(kind);
  }

  async present(): Promise<boolean> {
    const now = Date.now();
    if (this.known && now < this.known.until) return this.known.others;
    try {
      const { rows } = await this.db.query<{ others: boolean }>(this.sql, [this.applicationName]);
      const others = rows[0]?.others ?? true;
      this.known = { others, until: now + (others ? PRESENT_TTL_MS : ABSENT_TTL_MS) };
      return others;
    } catch {
      return true;
    }
  }
}
