import { fork } from 'node:child_process';
import { join } from 'node:path';

/** Starts the child, sends SIGTERM at each of `at` (ms after it is ready); its exit code. */
const exitCodeAfterSignals = (shutdownMs: number, at: number[]): Promise<number | null> =>
  new Promise((resolve, reject) => {
    const child = fork(join(__dirname, '..', 'support', 'shutdownChild.ts'), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, SHUTDOWN_MS: String(shutdownMs) },
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
    child.once('message', () => {
      for (const ms of at) setTimeout(() => child.kill('SIGTERM'), ms);
    });
  });

describe('shutdown on signals', () => {
  it('finishes a clean shutdown when one SIGTERM arrives twice at once (group kill plus npm relay)', async () => {
    expect(await exitCodeAfterSignals(1500, [0, 5])).toBe(0);
  });

  it('exits at once, unclean, on a second signal sent a while later', async () => {
    expect(await exitCodeAfterSignals(20_000, [0, 1500])).toBe(1);
  });
});
