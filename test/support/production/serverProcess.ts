import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Root runs the server as nobody, as the image's `node` user would: no write access anywhere. */
export const asUnprivileged = (command: string[]): string[] =>
  process.getuid?.() === 0
    ? // setpriv execs (no forked parent), so the PID is the server's own and SIGTERM reaches it.
      ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...command]
    : command;

export interface RunningServer {
  child: ChildProcess;
  port: number;
  /** Spawn to the first GET /ready answered 200. */
  startupMs: number;
  /** Resident memory at that moment, from /proc/<pid>/status (VmRSS). */
  residentKb: number;
  output(): string;
  /** SIGTERM; the exit code. */
  stop(): Promise<number | null>;
}

const residentKbOf = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? NaN);
};

const readyStatus = async (port: number): Promise<number | undefined> => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/ready`)).status;
  } catch {
    return undefined; // not listening yet
  }
};

/** Starts `command` and waits (polling /ready, at most `deadlineMs`) until it answers 200. */
export const startServer = async (
  command: string[],
  options: { cwd: string; env: Record<string, string>; port: number; deadlineMs: number },
): Promise<RunningServer> => {
  const [file, ...args] = command;
  const started = performance.now();
  const child = spawn(file!, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = started + options.deadlineMs;
  while ((await readyStatus(options.port)) !== 200) {
    if (gone || performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server never answered /ready with 200 (exited: ${gone}); its output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const startupMs = Math.round(performance.now() - started);
  return {
    child,
    port: options.port,
    startupMs,
    residentKb: residentKbOf(child.pid!),
    output: () => output,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
};
