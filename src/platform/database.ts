import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// bigint columns (counts, positions) arrive as strings; numeric money stays a string on purpose.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export interface Database {
  pool: pg.Pool;
  knex: Knex;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  maxConnections?: number;
  applicationName?: string;
  /** A query waiting longer than this for a connection fails fast (503) instead of hanging. */
  connectionTimeoutMs?: number;
}

export const openDatabase = (connectionString: string, options: DatabaseOptions = {}): Database => {
  const poolConfig: pg.PoolConfig = {
    connectionString,
    max: options.maxConnections ?? 20,
    application_name: options.applicationName ?? 'arcfit-roster',
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
  };
  const pool = new pg.Pool(poolConfig);
  // An idle client losing its connection (database restarted) must not crash the process.
  pool.on('error', () => undefined);
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString, application_name: `${poolConfig.application_name}-knex` },
    pool: { min: 0, max: Math.max(2, Math.floor((options.maxConnections ?? 20) / 2)) },
    acquireConnectionTimeout: options.connectionTimeoutMs ?? 5000,
  });
  return {
    pool,
    knex,
    close: async () => {
      await Promise.allSettled([pool.end(), knex.destroy()]);
    },
  };
};
