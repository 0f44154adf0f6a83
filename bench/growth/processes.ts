import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './log';

/**
 * The processes bench:growth measures, each a Node process of its own with peakRss.ts (and the
 * sampler memorySamples.ts, idle unless BENCH_MEMORY_SAMPLES_FILE is set) preloaded:
 * the API as bench/compare/projectServer.ts composes it (startServices + createServiceApp, the
 * projection engine in-process, scheduler off), and the operator CLI (src/cli.ts). Only their
 * public faces are used — HTTP, /ready, the CLI's commands — so whatever the projection engine
 * does inside is what gets measured.
 */
export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const ROOT_DIR = join(__dirname, '..', '..');
const PROJECT_SERVER = join(__dirname, '..', 'compare', 'projectServer.ts');
const CLI = join(ROOT_DIR, 'src', 'cli.ts');
const PEAK_RSS = join(__dirname, 'peakRss.ts');
const MEMORY_SAMPLES = join(__dirname, 'memorySamples.ts');

const commonEnv = (databaseUrl: string, rssFile: string): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'silent',
  JWT_SECRET,
  BENCH_PEAK_RSS_FILE: rssFile,
});

/**
 * Node flags for the API: those `npm start` passes (package.json; its `--import tsx` aside, which
 * every process here gets), so the API is measured as it is launched. BENCH_NODE_ARGS, when set
 * (even empty: node's defaults), replaces them, to compare flags A/B at the same load.
 */
const apiNodeArgs = (): string[] => {
  if (process.env.BENCH_NODE_ARGS !== undefined)
    return process.env.BENCH_NODE_ARGS.split(' ').filter(Boolean);
  const { scripts } = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const args = scripts.start.split(' ');
  const flags: string[] = [];
  for (let i = args.indexOf('node') + 1; i < args.length && args[i]!.startsWith('--'); i++)
    if (args[i] === '--import') i++;
    else flags.push(args[i]!);
  return flags;
};

const node = (
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): ChildProcess =>
  spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', '--import', PEAK_RSS, '--import', MEMORY_SAMPLES, script, ...args],
    {
      cwd: ROOT_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );

const readPeak = (file: string): number | null =>
  existsSync(file) ? Number(readFileSync(file, 'utf8')) : null;

/** Resident set size now and at its peak (VmRSS, VmHWM of /proc/<pid>/status), in bytes. */
const rssOf = (pid: number): { now: number; peak: number } | null => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { now: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
  } catch {
    return null;
  }
};

export interface ApiProcess {
  origin: string;
  /** Spawn → the "listening" line. */
  listeningSeconds: number;
  /** Spawn → the first 200 from GET /ready (every projection caught up, within its lag limit). */
  readySeconds: number;
  /** RSS now and its peak since spawn (catch-up included); null where /proc is missing. */
  rss(): { now: number; peak: number } | null;
  stop(): Promise<{ peakRss: number | null }>;
}

const READY_TIMEOUT_MS = 60 * 60 * 1000;

/** Starts the API on `databaseUrl` and waits until GET /ready answers 200. */
export const startApi = async (databaseUrl: string): Promise<ApiProcess> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'arcfit-bench-growth-'));
  const rssFile = join(dataDir, 'peak-rss');
  const started = performance.now();
  const child = node(
    PROJECT_SERVER,
    [],
    {
      ...commonEnv(databaseUrl, rssFile),
      PORT: '0',
      DATA_DIR: dataDir,
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      SUPER_ADMIN_EMAIL: ROOT.email,
      SUPER_ADMIN_PASSWORD: ROOT.password,
      DB_POOL_SIZE: '20',
    },
    apiNodeArgs(),
  );
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    const peakRss = readPeak(rssFile);
    rmSync(dataDir, { recursive: true, force: true });
    return { peakRss };
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the API exited with ${code}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        const match = /listening (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
      });
    });
    const listeningSeconds = (performance.now() - started) / 1000;
    const origin = `http://127.0.0.1:${port}`;
    for (;;) {
      const res = await fetch(`${origin}/ready`);
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error('/ready never answered 200');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const readySeconds = (performance.now() - started) / 1000;
    return { origin, listeningSeconds, readySeconds, rss: () => rssOf(child.pid!), stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

export interface CliRun {
  /** Spawn → exit. */
  seconds: number;
  peakRss: number | null;
  stdout: string;
}

/** `npm run cli -- <args>` on `databaseUrl`; refuses a non-zero exit. */
export const runCli = async (databaseUrl: string, args: string[]): Promise<CliRun> => {
  const dir = mkdtempSync(join(tmpdir(), 'arcfit-bench-growth-cli-'));
  const rssFile = join(dir, 'peak-rss');
  try {
    const started = performance.now();
    const child = node(CLI, args, commonEnv(databaseUrl, rssFile));
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'close', not 'exit': stdout may still be draining when the process exits.
    const [code] = (await once(child, 'close')) as [number | null];
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`cli ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
    return { seconds, peakRss: readPeak(rssFile), stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
