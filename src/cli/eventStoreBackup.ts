import type { Knex } from 'knex';
import { connectionFor, locateTool, requireToolFor, runProgram } from './postgresTools';

/**
 * What a backup holds: the event log (`streams`, `events`, hash chain included) and the
 * personal-data keys the log's personal fields are encrypted with (without them a restored log
 * would read as if everyone had been erased), with the record of who was erased. Everything else
 * in PostgreSQL is either rebuilt from the log (the read models) or not brought back (see
 * docs/operations.md, "Backup and restore").
 */
export const EVENT_STORE_TABLES = ['streams', 'events', 'personal_data_keys', 'erased_subjects'] as const;

const serverMajor = async (knex: Knex): Promise<number> => {
  const { rows } = await knex.raw<{ rows: { v: string }[] }>(
    `SELECT current_setting('server_version_num') AS v`,
  );
  return Math.floor(Number(rows[0]!.v) / 10_000);
};

/** pg_dump, custom format, data only, of the event-store tables, in one consistent snapshot. */
export const backupEventStore = async (knex: Knex, databaseUrl: string, out: string): Promise<void> => {
  const pgDump = await locateTool('pg_dump');
  requireToolFor(pgDump, 'pg_dump', await serverMajor(knex));
  const { dbname, env } = connectionFor(databaseUrl);
  await runProgram(
    pgDump.path,
    [
      '--format=custom',
      '--data-only',
      '--no-owner',
      '--no-privileges',
      ...EVENT_STORE_TABLES.map((t) => `--table=public.${t}`),
      `--file=${out}`,
      `--dbname=${dbname}`,
    ],
    env,
  );
};

export interface RestoredCounts {
  events: number;
  streams: number;
  personalDataKeys: number;
}

const counts = async (knex: Knex): Promise<RestoredCounts> => {
  const { rows } = await knex.raw<{ rows: { events: string; streams: string; keys: string }[] }>(
    `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM streams) AS streams,
            (SELECT count(*) FROM personal_data_keys) AS keys`,
  );
  const row = rows[0]!;
  return { events: Number(row.events), streams: Number(row.streams), personalDataKeys: Number(row.keys) };
};

/** A restore goes into an empty event store only: loading a log onto another would mix two histories. */
export const refuseUnlessEmpty = async (knex: Knex): Promise<void> => {
  const found = await counts(knex);
  if (found.events + found.streams + found.personalDataKeys === 0) return;
  throw new Error(
    `this database already holds ${found.events} event(s) in ${found.streams} stream(s): restore into a fresh ` +
      'database (createdb arcfit_restored; DATABASE_URL=…/arcfit_restored)',
  );
};

/**
 * Readers see only events below the oldest running transaction (readStream.ts), and event
 * positions are transaction ids. A log restored onto a cluster whose transaction counter is
 * behind the source's would be invisible to every reader, and events appended after it would sort
 * before it: refuse, naming the fix.
 */
export const refuseIfLogAheadOfCluster = async (knex: Knex): Promise<void> => {
  const { rows } = await knex.raw<{ rows: { restored: string | null; current: string }[] }>(
    `SELECT max(transaction_id)::text AS restored, pg_snapshot_xmin(pg_current_snapshot())::text AS current FROM events`,
  );
  const { restored, current } = rows[0]!;
  if (restored === null || BigInt(restored) < BigInt(current)) return;
  const epoch = (BigInt(restored) >> 32n) + 1n;
  throw new Error(
    `the restored log's transaction ids reach ${restored} but this cluster's are at ${current}: readers would not ` +
      `see the log. Drop this database, stop the (new) cluster, run pg_resetwal --epoch=${epoch} on its data ` +
      'folder, start it and restore again into a fresh database',
  );
};

/** pg_restore of a backup's rows into the (migrated, empty) event-store tables, in one transaction. */
export const loadEventStore = async (
  knex: Knex,
  databaseUrl: string,
  from: string,
): Promise<RestoredCounts> => {
  await refuseUnlessEmpty(knex);
  const pgRestore = await locateTool('pg_restore');
  requireToolFor(pgRestore, 'pg_restore', await serverMajor(knex));
  const { dbname, env } = connectionFor(databaseUrl);
  await runProgram(
    pgRestore.path,
    ['--data-only', '--single-transaction', '--exit-on-error', '--no-owner', `--dbname=${dbname}`, from],
    env,
  );
  await refuseIfLogAheadOfCluster(knex);
  return counts(knex);
};
