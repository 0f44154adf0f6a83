import type pg from 'pg';
import { newDataKey } from './fieldCipher';
import { MicroBatcher } from '../microBatcher';

/**
 * Per-person data keys (table `personal_data_keys`, migration 0009_audit). Deleting a person's
 * key is their erasure: their facts stay, hash-chained and replayable, but say no more who.
 * Keys live in PostgreSQL whichever store holds the events.
 */
export class PersonalDataKeys {
  /** Concurrent lookups (every read of a stream with personal data makes one) share a query. */
  private readonly lookups = new MicroBatcher<readonly string[], Map<string, Buffer>>(async (asks) => {
    const found = await this.fetch([...new Set(asks.flat())]);
    return asks.map((subjects) => ({
      ok: true as const,
      value: new Map(subjects.flatMap((s) => (found.has(s) ? [[s, found.get(s)!] as const] : []))),
    }));
  });

  constructor(private readonly pool: pg.Pool) {}

  /** The subject's key, created on first use; undefined for a subject already erased. */
  async keyFor(subjectId: string): Promise<Buffer | undefined> {
    const { rows } = await this.pool.query<{ key: Buffer }>(
      `WITH created AS (
         INSERT INTO personal_data_keys (subject_id, key)
         SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM erased_subjects WHERE subject_id = $1)
         ON CONFLICT (subject_id) DO NOTHING RETURNING key)
       SELECT key FROM created UNION ALL SELECT key FROM personal_data_keys WHERE subject_id = $1`,
      [subjectId, newDataKey()],
    );
    return rows[0]?.key;
  }

  /** Keys of those subjects that still have one (erased and unknown ones are absent). */
  async keysOf(subjectIds: readonly string[]): Promise<Map<string, Buffer>> {
    if (subjectIds.length === 0) return new Map();
    return this.lookups.submit(subjectIds);
  }

  private async fetch(subjectIds: readonly string[]): Promise<Map<string, Buffer>> {
    const { rows } = await this.pool.query<{ subject_id: string; key: Buffer }>(
      `SELECT subject_id, key FROM personal_data_keys WHERE subject_id = ANY($1::uuid[])`,
      [subjectIds],
    );
    return new Map(rows.map((r) => [r.subject_id, r.key]));
  }

  /** Deletes the key and records the erasure; true when there was a key to delete. */
  async erase(subjectId: string, erasedBy: string | null): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query(`DELETE FROM personal_data_keys WHERE subject_id = $1`, [
        subjectId,
      ]);
      await client.query(
        `INSERT INTO erased_subjects (subject_id, erased_by) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING`,
        [subjectId, erasedBy],
      );
      await client.query('COMMIT');
      return (rowCount ?? 0) > 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
