import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { escapeIdentifier, type Pool, type PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  END_OF_TABLE,
  FORMAT_VERSION,
  framed,
  headerFrame,
  MAGIC,
  type BackedUpTable,
  type BackupHeader,
} from './backupFile';

/**
 * What a backup holds: the event log (`streams`, `events`, hash chain included) and the
 * personal-data keys the log's personal fields are encrypted with (without them a restored log
 * would read as if everyone had been erased), with the record of who was erased. Everything else
 * in PostgreSQL is either rebuilt from the log (the read models) or not brought back (see
 * docs/operations.md, "Backup and restore").
 */
export const EVENT_STORE_TABLES = ['streams', 'events', 'personal_data_keys', 'erased_subjects'] as const;

/**
 * CSV is text, so both ends must print and parse values alike: timestamps in ISO form with
 * their offset, bytea as hex. Set on both sides, inside the transaction only.
 */
export const CSV_SESSION = [
  `SET LOCAL DateStyle = 'ISO'`,
  `SET LOCAL TimeZone = 'UTC'`,
  `SET LOCAL bytea_output = 'hex'`,
];

/** `COPY public.<table> (<columns>) TO STDOUT` or `FROM STDIN`, CSV. */
export const copyStatement = (table: BackedUpTable, direction: 'TO STDOUT' | 'FROM STDIN'): string =>
  `COPY public.${escapeIdentifier(table.name)} (${table.columns.map(escapeIdentifier).join(', ')}) ` +
  `${direction} (FORMAT csv)`;

/** Stored columns only: a generated column is computed again on insert and cannot be copied into. */
const columnsOf = async (client: PoolClient, table: string): Promise<string[]> => {
  const { rows } = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      ORDER BY attnum`,
    [`public.${table}`],
  );
  return rows.map((row) => row.name);
};

/** What the file will hold, read in the backup's snapshot, so the counts match the rows. */
const describeEventStore = async (client: PoolClient): Promise<BackupHeader> => {
  const tables: BackedUpTable[] = [];
  for (const name of EVENT_STORE_TABLES) {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM public.${escapeIdentifier(name)}`,
    );
    tables.push({ name, columns: await columnsOf(client, name), rows: Number(rows[0]!.n) });
  }
  const { rows } = await client.query<{ version: string; highest: string | null }>(
    `SELECT current_setting('server_version') AS version, (SELECT max(transaction_id)::text FROM events) AS highest`,
  );
  return {
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    sourceServerVersion: rows[0]!.version,
    highestTransactionId: rows[0]!.highest,
    copyFormat: 'csv',
    tables,
  };
};

/** The file's bytes before compression: magic, header, then each table's COPY output, framed. */
async function* backupBytes(client: PoolClient, header: BackupHeader): AsyncGenerator<Buffer> {
  yield MAGIC;
  yield* headerFrame(header);
  for (const table of header.tables) {
    const rows = client.query(copyTo(copyStatement(table, 'TO STDOUT')));
    for await (const chunk of rows) yield* framed(chunk as Buffer);
    yield END_OF_TABLE;
  }
}

/**
 * Writes the event-store tables to `out` from one REPEATABLE READ snapshot: the file is
 * consistent while the service keeps appending. It is written beside `out` and renamed into
 * place when complete, so a failed backup never leaves a half file under the name asked for.
 */
export const backupEventStore = async (pool: Pool, out: string): Promise<BackupHeader> => {
  const partial = `${out}.partial`;
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const statement of CSV_SESSION) await client.query(statement);
    const header = await describeEventStore(client);
    await pipeline(backupBytes(client, header), createGzip(), createWriteStream(partial));
    await client.query('COMMIT');
    await rename(partial, out);
    return header;
  } catch (error) {
    failure = error as Error;
    await rm(partial, { force: true });
    throw error;
  } finally {
    // A connection that failed mid-COPY is in no state to be reused: release(error) discards it.
    client.release(failure);
  }
};
