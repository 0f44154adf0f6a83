import type { Knex } from 'knex';
import type { IncrementResponse, Options, Store } from 'express-rate-limit';

/**
 * express-rate-limit's counter kept in PostgreSQL, so every API replica counts against one budget:
 * with three replicas, a limit of N per minute lets N through in all, not 3N. A fixed window per
 * key, on the database's clock; each hit is one atomic statement (no read-then-write race).
 * Windows long past are deleted by the `request_records_expiry` job.
 */
export class PostgresRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly knex: Knex,
    /** Distinguishes limiters that share the table (e.g. `auth:`). */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const { rows } = await this.knex.raw<{ rows: { hits: number; resets_at: Date }[] }>(
      `INSERT INTO rate_limit_windows AS w (key, hits, resets_at)
       VALUES (?, 1, now() + make_interval(secs => ?))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN w.resets_at <= now() THEN 1 ELSE w.hits + 1 END,
         resets_at = CASE WHEN w.resets_at <= now() THEN EXCLUDED.resets_at ELSE w.resets_at END
       RETURNING hits, resets_at`,
      [this.prefix + key, this.windowMs / 1000],
    );
    const row = rows[0]!;
    return { totalHits: row.hits, resetTime: row.resets_at };
  }

  async decrement(key: string): Promise<void> {
    await this.knex('rate_limit_windows')
      .where({ key: this.prefix + key })
      .andWhere('hits', '>', 0)
      .decrement('hits', 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.knex('rate_limit_windows')
      .where({ key: this.prefix + key })
      .delete();
  }
}
