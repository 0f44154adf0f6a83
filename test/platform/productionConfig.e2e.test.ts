import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
/** Nothing listens here: a process that got past its configuration would fail on connecting. */
const UNREACHABLE_DATABASE = 'postgres://arcfit:arcfit@127.0.0.1:1/arcfit';
const A_SECRET = 'a-production-secret-of-at-least-32-characters';

/** A refusal comes before any connection; a process still running after this did not refuse. */
const REFUSAL_DEADLINE_MS = 20_000;
/** Where a process that did not refuse would put its files, instead of the repository's ./data. */
const dataDir = mkdtempSync(join(tmpdir(), 'arcfit-production-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  stderr: string;
}

/** Runs an entry point the way `npm start` / `npm run worker` do, with only the given settings. */
const start = (entry: 'src/main.ts' | 'src/worker.ts', env: Record<string, string>): Promise<Exit> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      // Only what the process needs to run, so a JWT_SECRET or DATABASE_URL in the test's own
      // environment cannot leak in.
      env: { PATH: process.env.PATH ?? '', HOME: dataDir, PORT: '0', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const deadline = setTimeout(() => child.kill('SIGTERM'), REFUSAL_DEADLINE_MS);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stderr });
    });
  });

jest.setTimeout(REFUSAL_DEADLINE_MS + 15_000);

describe.each(['src/main.ts', 'src/worker.ts'] as const)('%s with NODE_ENV=production', (entry) => {
  it('refuses to start without JWT_SECRET, in one line that says how to make one', async () => {
    const { code, stderr } = await start(entry, {
      NODE_ENV: 'production',
      DATABASE_URL: UNREACHABLE_DATABASE,
    });
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/JWT_SECRET is required when NODE_ENV=production/);
    expect(lines[0]).toMatch(/openssl rand -base64 48/);
  });

  it('refuses to start without DATABASE_URL (the embedded PostgreSQL is for development)', async () => {
    const { code, stderr } = await start(entry, { NODE_ENV: 'production', JWT_SECRET: A_SECRET });
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/DATABASE_URL is required when NODE_ENV=production/);
  });
});
