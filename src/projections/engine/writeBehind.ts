import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { escapeLiteral } from 'pg';

// pg's own value serialisation (dates, arrays, JSON, buffers), so an inlined value reads exactly
// as the same value sent as a parameter would.
const { prepareValue } = createRequire(__filename)('pg/lib/utils') as {
  prepareValue: (value: unknown) => string | Buffer | null;
};

interface KnexQuery {
  sql: string;
  bindings?: readonly unknown[];
  method?: string;
  returning?: unknown;
  output?: unknown;
  options?: unknown;
  response?: unknown;
}

interface PgConnection {
  query(text: string, callback: (error: Error | null, result?: unknown) => void): void;
}

interface QueryingClient {
  _query(connection: PgConnection, obj: KnexQuery): Promise<KnexQuery>;
}

const WRITE_METHODS = new Set(['insert', 'update', 'del', 'delete']);
const FLUSH_AT = 500;

const literal = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  const prepared = prepareValue(value);
  if (prepared === null) return 'NULL';
  if (Buffer.isBuffer(prepared)) return `'\\x${prepared.toString('hex')}'::bytea`;
  return escapeLiteral(prepared);
};

/** Replaces `$n` placeholders outside quoted strings and identifiers with literal values. */
export const inlineBindings = (sql: string, bindings: readonly unknown[]): string => {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      out += ch;
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
      continue;
    }
    if (ch === '$') {
      const match = /^\$(\d+)/.exec(sql.slice(i));
      if (match) {
        out += literal(bindings[Number(match[1]) - 1]);
        i += match[0].length - 1;
        continue;
      }
    }
    out += ch;
  }
  return out;
};

/**
 * Batches a projection transaction's writes: INSERT/UPDATE/DELETE statements the handlers issue
 * (without RETURNING) are held and sent together, many per round trip — ahead of the next read in
 * that read's own round trip, every FLUSH_AT writes, and at `flush()` before commit — so reads
 * still see every earlier write and the transaction stays all or nothing. What a handler gives up: the row count of a held
 * UPDATE/DELETE is not known (reported as 1); no projection may branch on it.
 * Round trips, not SQL, were what a rebuild spent its time on (bench/projections).
 */
export const writeBehind = (trx: Knex.Transaction): { flush(): Promise<void> } => {
  const client = trx.client as unknown as QueryingClient;
  const passThrough = client._query.bind(client);
  const held: string[] = [];
  let connection: PgConnection | undefined;

  const flush = async (): Promise<void> => {
    if (held.length === 0 || !connection) return;
    const text = held.join(';\n');
    held.length = 0;
    const on = connection;
    await new Promise<void>((resolve, reject) =>
      on.query(text, (error) => (error ? reject(error) : resolve())),
    );
  };

  client._query = async (conn, obj) => {
    connection = conn;
    const deferrable = WRITE_METHODS.has(obj.method ?? '') && !obj.returning && !obj.output;
    const plain = !obj.options || Object.keys(obj.options).length === 0;
    if (!deferrable && held.length > 0 && plain) {
      // The held writes and this read in one round trip; the read's answer is the last result.
      const text = `${held.join(';\n')};\n${inlineBindings(obj.sql, obj.bindings ?? [])}`;
      held.length = 0;
      const results = await new Promise<unknown>((resolve, reject) =>
        conn.query(text, (error, result) => (error ? reject(error) : resolve(result))),
      );
      obj.response = Array.isArray(results) ? results[results.length - 1] : results;
      return obj;
    }
    if (!deferrable) {
      await flush();
      return passThrough(conn, obj);
    }
    held.push(inlineBindings(obj.sql, obj.bindings ?? []));
    const command = obj.method === 'insert' ? 'INSERT' : obj.method === 'update' ? 'UPDATE' : 'DELETE';
    obj.response = { command, rowCount: 1, rows: [] };
    if (held.length >= FLUSH_AT) await flush();
    return obj;
  };
  return { flush };
};
