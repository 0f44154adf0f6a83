import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signingKey } from '../crud/auth';
import { openPool } from '../crud/database';
import { seedApiShape, seedStormSociety } from '../crud/seed';
import { seed } from '../api/seed';

/**
 * The two systems under the same load, each started fresh on its own database of the one
 * PostgreSQL server: the project (projectServer.ts, the composition of `npm start`) and the CRUD
 * baseline (bench/crud/server.ts). Each side is seeded to the same shape — the project through its
 * own API and commands, as bench:api and bench:booking seed it; the baseline by SQL.
 */
export type SideName = 'project' | 'crud';

export interface Shape {
  societies: number;
  members: number;
  weeks: number;
}

/** What the read and write rows need, the same for both sides. */
export interface ApiFixture {
  society: { id: string; classIds: string[]; member: { id: string; token: string } };
  /** (admin token, class, member) triples inside the weekly limit, in bench:api's interleaved order. */
  bookings: { token: string; classId: string; memberId: string }[];
}

export interface StormFixture {
  members(count: number): Promise<string[]>;
  classes(slots: { day: number; hour: number; maxMembers: number }[]): Promise<string[]>;
  bookingRequest(classId: string, memberId: string): { path: string; token: string; body: unknown };
}

export interface Side {
  name: SideName;
  /** http://127.0.0.1:<port> */
  origin: string;
  api: ApiFixture;
  storm(): Promise<StormFixture>;
  /** Statements sent so far, once all background work is done. */
  settled(): Promise<number>;
  stop(): Promise<void>;
}

export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const ROOT = { email: 'bench-root@example.com', password: 'bench root passphrase' };

/** bench:api's order: societies interleaved so concurrent bookings spread as real traffic would. */
const interleaved = <T>(bookings: T[], societies: number) =>
  bookings
    .map((b, i) => ({ b, key: (i % 5) + Math.floor(i / 5) * 1000 + (i % societies) * 0.1 }))
    .sort((x, y) => x.key - y.key)
    .map((x) => x.b);

const startChild = async (script: string, env: Record<string, string>) => {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, origin: `http://127.0.0.1:${port}` };
};

const stopChild = async (child: ChildProcess) => {
  if (child.exitCode !== null || !child.pid) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
};

const getJson = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, init);
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
};
const post = (url: string, body: unknown) =>
  getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

export const startProject = async (databaseUrl: string, shape: Shape, poolSize: number): Promise<Side> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'arcfit-bench-compare-'));
  const { child, origin } = await startChild(join(__dirname, 'projectServer.ts'), {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JWT_SECRET,
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    SUPER_ADMIN_EMAIL: ROOT.email,
    SUPER_ADMIN_PASSWORD: ROOT.password,
    DB_POOL_SIZE: String(poolSize),
  });
  try {
    const seeded = await seed(origin, ROOT, { ...shape, payers: 0 });
    const s0 = seeded.societies[0]!;
    return {
      name: 'project',
      origin,
      api: { society: s0, bookings: interleaved(seeded.bookings, shape.societies) },
      storm: async () => {
        const { token } = (await post(`${origin}/bench/storm/society`, {})) as { token: string };
        return {
          members: async (count) =>
            (await post(`${origin}/bench/storm/members`, { count })) as unknown as string[],
          classes: async (slots) =>
            (await post(`${origin}/bench/storm/classes`, { slots })) as unknown as string[],
          bookingRequest: (classId, memberId) => ({
            path: `/events/${classId}/bookings`,
            token,
            body: { member_id: memberId },
          }),
        };
      },
      settled: async () => (await getJson(`${origin}/bench/settled`)).statements as number,
      stop: async () => {
        await stopChild(child);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
};

export const startCrud = async (databaseUrl: string, shape: Shape, poolSize: number): Promise<Side> => {
  const { child, origin } = await startChild(join(__dirname, '..', 'crud', 'server.ts'), {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    JWT_SECRET,
    DB_POOL_SIZE: String(poolSize),
  });
  // Seeding runs here, on a pool of its own: the server counts only what it sends itself.
  const pool = openPool(databaseUrl, 4);
  const key = signingKey(JWT_SECRET);
  try {
    const seeded = await seedApiShape(pool, key, shape);
    return {
      name: 'crud',
      origin,
      api: { society: seeded.societies[0]!, bookings: interleaved(seeded.bookings, shape.societies) },
      storm: () => seedStormSociety(pool, key),
      settled: async () => (await getJson(`${origin}/bench/settled`)).statements as number,
      stop: async () => {
        await stopChild(child);
        await pool.end();
      },
    };
  } catch (error) {
    await stopChild(child);
    await pool.end();
    throw error;
  }
};
