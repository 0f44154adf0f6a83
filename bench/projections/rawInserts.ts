import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/**
 * The baseline: single-row INSERTs into a table shaped like a read row (uuid key, a few text
 * columns, a timestamp), `batchSize` per transaction on one connection — what the same server
 * does when nothing but writing rows is asked of it.
 */
export const measureRawInserts = async (
  pool: pg.Pool,
  rows: number,
  batchSize: number,
): Promise<{ rows: number; rowsPerSecond: number }> => {
  const client = await pool.connect();
  try {
    await client.query(`CREATE TABLE raw_insert_baseline (
      id uuid PRIMARY KEY, society_id uuid NOT NULL, name text NOT NULL, email text NOT NULL,
      status text NOT NULL, updated_at timestamptz NOT NULL)`);
    const society = randomUUID();
    const started = performance.now();
    for (let done = 0; done < rows;) {
      await client.query('BEGIN');
      const end = Math.min(rows, done + batchSize);
      for (; done < end; done++) {
        await client.query({
          name: 'raw_insert_baseline',
          text: `INSERT INTO raw_insert_baseline (id, society_id, name, email, status, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)`,
          values: [
            randomUUID(),
            society,
            `Member ${done}`,
            `member${done}@raw.example`,
            'approved',
            new Date(),
          ],
        });
      }
      await client.query('COMMIT');
    }
    const seconds = (performance.now() - started) / 1000;
    return { rows, rowsPerSecond: rows / seconds };
  } finally {
    client.release();
  }
};
