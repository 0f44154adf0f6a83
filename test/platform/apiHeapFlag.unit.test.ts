import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The API process is launched with `--max-old-space-size` (docs/operations.md, "API memory"): not
 * as a tight cap but because V8 sizes its old-generation growth from it. At 2048 MB or more (the
 * default on any host with 16 GB or more: 4144 MB here) V8 lets the old space grow to four times
 * what the last full collection left live before it collects again; below 2048 MB that factor is
 * at most 1.3–2.0. The API's live heap under bench:growth's read load is ~60–90 MB, but request
 * garbage promoted out of the young generation filled the old space to ~240 MB (RSS 363–379 MB at
 * 12k events); with 1536 MB the same load peaks at 242 MB RSS (bench/growth/memory.ts).
 *
 * The flag is written in three places that start the API; these tests keep them the same, inside
 * the range where it does that job, and accepted by this Node.
 */
const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

/** The node flags of a command line (`exec node <flags> <script>`): the tokens before the script. */
const nodeFlags = (command: string[]): string[] => {
  const args = command.slice(command.indexOf('node') + 1);
  const flags: string[] = [];
  for (let i = 0; i < args.length && args[i]!.startsWith('--'); i++) {
    flags.push(args[i]!);
    // `--import tsx`: a flag whose value is the next token.
    if (args[i] === '--import') flags.push(args[++i]!);
  }
  return flags;
};

const dockerCmd = (): string[] => {
  const line = read('Dockerfile')
    .split('\n')
    .find((l) => l.startsWith('CMD '));
  if (!line) throw new Error('the Dockerfile has no CMD');
  return JSON.parse(line.slice('CMD '.length)) as string[];
};

const oldSpaceMb = (flags: string[]): number | undefined => {
  const flag = flags.find((f) => f.startsWith('--max-old-space-size='));
  return flag === undefined ? undefined : Number(flag.split('=')[1]);
};

const launches = {
  'npm start': nodeFlags(scripts.start!.split(' ')),
  'npm run start:prod': nodeFlags(scripts['start:prod']!.split(' ')),
  'the Dockerfile CMD': nodeFlags(dockerCmd()),
};

describe('the API process is launched with a --max-old-space-size that keeps V8 from growing the old space 4×', () => {
  it.each(Object.entries(launches))('%s passes it, between 1024 and 2047 MB', (_name, flags) => {
    const mb = oldSpaceMb(flags);
    // Below 1024 MB the flag would become a cap a large catch-up could meet; from 2048 MB on,
    // V8's growth factor is 4 again and the flag does nothing for RSS.
    expect(mb).toBeGreaterThanOrEqual(1024);
    expect(mb).toBeLessThan(2048);
  });

  it('passes the same value wherever the API starts', () => {
    expect(new Set(Object.values(launches).map(oldSpaceMb)).size).toBe(1);
  });

  it('is accepted by this Node, which then reports that heap limit', () => {
    const flags = launches['npm start'].filter((f) => f.startsWith('--max-'));
    const limitMb = Number(
      execFileSync(process.execPath, [
        ...flags,
        '-e',
        'process.stdout.write(String(require("node:v8").getHeapStatistics().heap_size_limit / 2 ** 20))',
      ]),
    );
    // heap_size_limit is the old space plus the young generation (a few dozen MB).
    const mb = oldSpaceMb(flags)!;
    expect(limitMb).toBeGreaterThanOrEqual(mb);
    expect(limitMb).toBeLessThan(mb + 128);
  });
});
