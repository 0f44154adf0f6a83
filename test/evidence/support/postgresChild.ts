import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** A PostgreSQL this test can stop and start: see postgresProcess.ts. */
export interface PostgresChild {
  url: string;
  /** Stops the server (clean shutdown, as an operator or an orchestrator would) and waits for it. */
  stop(): Promise<void>;
}

const script = join(__dirname, 'postgresProcess.ts');

export const startPostgresChild = async (dataDir: string, port: number): Promise<PostgresChild> => {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`postgres child exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /ready (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null || !child.pid) return;
      const exited = once(child, 'exit');
      process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
};
