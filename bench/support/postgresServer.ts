import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/platform/embeddedPostgres';

/** A throwaway PostgreSQL for one benchmark run: fresh folder, free port, removed on stop. */
export interface BenchServer {
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });

const withDatabase = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

export const startBenchServer = async (settings: Record<string, string>): Promise<BenchServer> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'arcfit-bench-pg-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  let handle: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    handle = await startEmbeddedPostgres({ dataDir, port: await freePort(), settings });
  } catch (error) {
    removeDir();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    createDatabase: async (name) => {
      const admin = new pg.Client({ connectionString: handle.url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return withDatabase(handle.url, name);
    },
    stop: () =>
      (stopping ??= handle
        .stop()
        .catch((error: unknown) => console.error('stopping PostgreSQL failed:', error))
        .finally(removeDir)),
  };
};
