import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The CRUD baseline's database access: one pool, every statement sent as a named (prepared)
 * statement — each connection parses and plans it once — and every statement counted, so
 * bench/compare can report statements per booking beside the project's.
 */
let statements = 0;
let counting = false;

/** Counts every statement any pg client in this process sends (one statement per round trip). */
export const countStatements = () => {
  if (counting) return;
  counting = true;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
    statements++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
};
export const statementsSent = () => statements;

export type Db = pg.Pool | pg.PoolClient;

const names = new Map<string, string>();
/** Runs `text` as a named statement: the name is derived once per distinct SQL text. */
export const sql = async <R extends pg.QueryResultRow>(
  db: Db,
  text: string,
  values: unknown[] = [],
): Promise<R[]> => {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `crud_${names.size}`));
  return (await db.query<R>({ name, text, values })).rows;
};

export const openPool = (url: string, max: number) => {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'crud-baseline' });
  // An idle client's error (the server going away at the end of a run) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
};

/** BEGIN … COMMIT on one connection; any error rolls back and is rethrown. */
export const inTransaction = async <T>(pool: pg.Pool, work: (db: pg.PoolClient) => Promise<T>) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

export const applySchema = (pool: pg.Pool) => pool.query(readFileSync(join(__dirname, 'schema.sql'), 'utf8'));
