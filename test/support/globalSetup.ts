// Starts one embedded PostgreSQL for the whole test run, unless DATABASE_URL points at one.
// Each test file then creates its own database in it (test/support/testDatabase.ts), so files
// run in parallel without seeing each other's rows. Same starter as `npm start`, relaxed
// durability (tests do not need fsync).
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/platform/embeddedPostgres';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

declare global {
  var __ARCFIT_PG__: EmbeddedPostgresHandle | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  // Under /tmp, not a private home: when run as root the server runs as the postgres user.
  const server = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'arcfit-test-pg-')),
    port: await freePort(),
    settings: { max_connections: '400', fsync: 'off', synchronous_commit: 'off' },
  });
  globalThis.__ARCFIT_PG__ = server;
  process.env.TEST_ADMIN_DATABASE_URL = server.url;
}
