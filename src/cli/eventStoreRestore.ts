import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline as pipe } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { escapeIdentifier, type Pool, type PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  ByteReader,
  PG_DUMP_MAGIC,
  readHeader,
  tableChunks,
  type BackedUpTable,
  type BackupHeader,
} from './backupFile';
import { copyStatement, CSV_SESSION, EVENT_STORE_TABLES } from './eventStoreBackup';

export interface RestoredCounts {
  events: number;
  streams: number;
  personalDataKeys: number;
}

const TABLE_LIST = EVENT_STORE_TABLES.map((name) => `public.${escapeIdentifier(name)}`).join(', ');

/** A restore goes into an empty event store only: loading a log onto another would mix two histories. */
export const refuseUnlessEmpty = async (client: PoolClient): Promise<void> => {
  const { rows } = await client.query<{ events: string; streams: string; keys: string }>(
    `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM streams) AS streams,
            (SELECT count(*) FROM personal_data_keys) AS keys`,
  );
  const found = {
    events: Number(rows[0]!.events),
    streams: Number(rows[0]!.streams),
    keys: Number(rows[0]!.keys),
  };
  if (found.events + found.streams + found.keys === 0) return;
  throw new Error(
    `this database already holds ${found.events} event(s) in ${found.streams} stream(s): restore into a fresh ` +
      'database (createdb arcfit_restored; DATABASE_URL=…/arcfit_restored)',
  );
};

/**
 * Readers see only events below the oldest running transaction (readStream.ts), and event
 * positions are transaction ids. A log restored onto a cluster whose transaction counter is
 * behind the source's would be invisible to every reader, and events appended after it would sort
 * before it: refuse, naming the fix. Checked against the header's highest transaction id before a
 * row is loaded, and that id is checked against the loaded rows before commit.
 */
export const refuseIfLogAheadOfCluster = async (
  client: PoolClient,
  restored: string | null,
): Promise<void> => {
  const { rows } = await client.query<{ current: string }>(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS current`,
  );
  const { current } = rows[0]!;
  if (restored === null || BigInt(restored) < BigInt(current)) return;
  const epoch = (BigInt(restored) >> 32n) + 1n;
  throw new Error(
    `the restored log's transaction ids reach ${restored} but this cluster's are at ${current}: readers would not ` +
      `see the log. Drop this database, stop the (new) cluster, run pg_resetwal --epoch=${epoch} on its data ` +
      'folder, start it and restore again into a fresh database',
  );
};

const damaged = (what: string) => new Error(`the backup file is damaged: ${what}; nothing was restored`);

/** The file must hold exactly the event-store tables: no table this code would not know to load. */
const refuseUnexpectedTables = (header: BackupHeader): void => {
  const names = header.tables.map((table) => table.name).sort();
  const expected = [...EVENT_STORE_TABLES].sort();
  if (names.join() !== expected.join())
    throw damaged(`it holds the tables ${names.join(', ')} where ${expected.join(', ')} were expected`);
};

const copyTable = async (client: PoolClient, reader: ByteReader, table: BackedUpTable): Promise<void> => {
  const copy = client.query(copyFrom(copyStatement(table, 'FROM STDIN')));
  await pipeline(tableChunks(reader), copy);
  if (copy.rowCount !== table.rows)
    throw damaged(`${table.name} holds ${copy.rowCount} row(s) where its header says ${table.rows}`);
};

/**
 * COPY writes identity columns as given (events.global_position is GENERATED ALWAYS AS IDENTITY)
 * without moving their sequences: set each to its column's highest value, so the next event is
 * numbered after the restored ones.
 */
const resetIdentities = async (client: PoolClient): Promise<void> => {
  const { rows } = await client.query<{ table: string; column: string; sequence: string }>(
    `SELECT * FROM (
       SELECT c.relname AS table, a.attname AS column,
              pg_get_serial_sequence(format('public.%I', c.relname), a.attname) AS sequence
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
     ) owned WHERE sequence IS NOT NULL`,
    [EVENT_STORE_TABLES],
  );
  for (const { table, column, sequence } of rows)
    await client.query(
      `SELECT setval($1::regclass, max(${escapeIdentifier(column)}))
         FROM public.${escapeIdentifier(table)} HAVING max(${escapeIdentifier(column)}) IS NOT NULL`,
      [sequence],
    );
};

const refuseUnlessHighestTransactionIs = async (
  client: PoolClient,
  expected: string | null,
): Promise<void> => {
  const { rows } = await client.query<{ highest: string | null }>(
    `SELECT max(transaction_id)::text AS highest FROM events`,
  );
  if (rows[0]!.highest !== expected)
    throw damaged(`its events reach transaction ${rows[0]!.highest} where its header says ${expected}`);
};

/** The gunzipped file, after refusing a pg_dump file by name (what `backup` wrote before). */
const openBackup = async (from: string): Promise<ByteReader> => {
  const handle = await open(from, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(
      Buffer.alloc(PG_DUMP_MAGIC.length),
      0,
      PG_DUMP_MAGIC.length,
      0,
    );
    if (bytesRead === PG_DUMP_MAGIC.length && buffer.equals(PG_DUMP_MAGIC))
      throw new Error(
        `${from} is a pg_dump file, which earlier versions of \`backup\` wrote: restore it with pg_restore ` +
          '(PostgreSQL client tools as new as the server), as the ArcFit version that wrote it documents',
      );
  } finally {
    await handle.close();
  }
  // pipeline (not .pipe) so a read error of the file reaches the gunzipped side too
  const unzipped = pipe(createReadStream(from), createGunzip(), () => undefined);
  return new ByteReader(unzipped[Symbol.asyncIterator]());
};

const loadInOneTransaction = async (client: PoolClient, reader: ByteReader, header: BackupHeader) => {
  await client.query('BEGIN');
  for (const statement of CSV_SESSION) await client.query(statement);
  // Held to commit: nothing can append between the emptiness check and the load.
  await client.query(`LOCK TABLE ${TABLE_LIST} IN EXCLUSIVE MODE`);
  await refuseUnlessEmpty(client);
  await refuseIfLogAheadOfCluster(client, header.highestTransactionId);
  for (const table of header.tables) await copyTable(client, reader, table);
  await refuseUnlessHighestTransactionIs(client, header.highestTransactionId);
  await resetIdentities(client);
  await client.query('COMMIT');
};

/**
 * Loads a backup into the (migrated, empty) event-store tables with COPY, in one transaction:
 * a refusal or a damaged file leaves the database as it was.
 */
export const loadEventStore = async (pool: Pool, from: string): Promise<RestoredCounts> => {
  const reader = await openBackup(from);
  try {
    const header = await readHeader(reader);
    refuseUnexpectedTables(header);
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      await loadInOneTransaction(client, reader, header);
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      // A failed transaction's connection is discarded, not reused: closing it rolls it back.
      client.release(failure);
    }
    const rows = (name: string) => header.tables.find((table) => table.name === name)!.rows;
    return { events: rows('events'), streams: rows('streams'), personalDataKeys: rows('personal_data_keys') };
  } finally {
    await reader.close();
  }
};
