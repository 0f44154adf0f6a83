import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { PositionWaiter } from '../../../src/projections/engine/positionWaiter';
import type { TestDatabase } from '../../support/testDatabase';

/**
 * The production shape in child processes, as `npm start` / `npm run worker` run them: stateless
 * API processes (RUN_PROJECTIONS=false) and workers (projections and scheduled jobs), all on one
 * PostgreSQL database with one JWT secret. Every child is remembered by PID, so a failed test
 * still ends them all (stopAll).
 */
export const CLUSTER_JWT_SECRET = 'replica-test-secret-replica-test-secret-42';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

export interface Cluster {
  /** An API process; resolves with its base URL once it listens. */
  startApi(env?: Record<string, string>): Promise<string>;
  /** A worker process; resolves once its projections and scheduler run. */
  startWorker(env?: Record<string, string>): Promise<ChildProcess>;
  /** SIGTERM, as an orchestrator stops one; resolves when it has exited. */
  stop(child: ChildProcess): Promise<void>;
  /** Every child still running: SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stopAll(): Promise<void>;
  /** Resolves once the worker's projections have applied everything written so far. */
  readSideCaughtUp(): Promise<void>;
}

export const replicaCluster = (
  db: TestDatabase,
  dataDir: string,
  common: Record<string, string>,
): Cluster => {
  const children = new Set<ChildProcess>();

  /** Starts an entry point; resolves when a line of its log (stdout) says `ready`. */
  const launch = (entry: string, env: Record<string, string>, ready: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        JWT_SECRET: CLUSTER_JWT_SECRET,
        LOG_LEVEL: 'info',
        DB_POOL_SIZE: '8',
        ...common,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return new Promise<ChildProcess>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
      // Read all of stdout for the child's whole life, or a full pipe would stall its logging.
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes(ready)) resolve(child);
      });
    });
  };

  const stop = async (child: ChildProcess) => {
    if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(child.pid, 'SIGTERM');
    const killer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };

  return {
    startApi: async (env = {}) => {
      const port = await freePort();
      await launch(
        'src/main.ts',
        { RUN_PROJECTIONS: 'false', HOST: '127.0.0.1', PORT: String(port), ...env },
        'is listening',
      );
      return `http://127.0.0.1:${port}`;
    },
    startWorker: (env = {}) => launch('src/worker.ts', env, 'projection worker running'),
    stop,
    stopAll: async () => {
      await Promise.all([...children].map(stop));
    },
    readSideCaughtUp: async () => {
      const store = new PostgresEventStore(db.pool);
      const waiter = new PositionWaiter(db.knex, db.url, 50);
      try {
        await waiter.start();
        if (!(await waiter.waitFor(await store.headPosition(), 60_000)))
          throw new Error('the worker did not catch up within 60 s');
      } finally {
        await waiter.close();
        await store.close();
      }
    },
  };
};
